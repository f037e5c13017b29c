package dev.cltbench.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.rendering.PDFRenderer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every figure of the report as a PDF file beside its SVG: written twice from the same content they
 * are the same bytes; each opens in PDFBox as one page of the SVG's size, carries no date, and when
 * rasterised shows the figure's colours (a blank or unstyled page would not).
 */
class FigurePdfTest {
  static ReportContent content;
  static Map<String, String> svgs;
  static Map<String, byte[]> pdfs;

  @BeforeAll
  static void write() throws Exception {
    content = ReportFixtures.content(false);
    svgs = FigureFiles.svgs(content);
    pdfs = FigureFiles.pdfs(content);
  }

  @Test
  void onePdfPerSvgFigure() {
    assertTrue(svgs.size() >= 6, svgs.keySet().toString());
    assertEquals(svgs.keySet().stream().map(n -> n.replaceFirst("\\.svg$", ".pdf")).toList(),
        List.copyOf(pdfs.keySet()));
  }

  @Test
  void sameContentGivesTheSameBytes() throws Exception {
    // Content built afresh, so nothing of the first rendering is shared.
    Map<String, byte[]> again = FigureFiles.pdfs(ReportFixtures.content(false));
    assertEquals(pdfs.keySet(), again.keySet());
    for (String name : pdfs.keySet()) {
      assertArrayEquals(pdfs.get(name), again.get(name), name);
    }
  }

  @Test
  void eachPdfOpensAsOnePageOfTheFiguresSize() throws Exception {
    Pattern viewBox = Pattern.compile("viewBox=\"0 0 ([0-9.]+) ([0-9.]+)\"");
    for (Map.Entry<String, byte[]> e : pdfs.entrySet()) {
      String name = e.getKey();
      Matcher m = viewBox.matcher(svgs.get(name.replaceFirst("\\.pdf$", ".svg")));
      assertTrue(m.find(), name);
      try (PDDocument doc = Loader.loadPDF(e.getValue())) {
        assertEquals(1, doc.getNumberOfPages(), name);
        PDRectangle box = doc.getPage(0).getMediaBox();
        assertEquals(Double.parseDouble(m.group(1)), box.getWidth(), 0.5, name);
        assertEquals(Double.parseDouble(m.group(2)), box.getHeight(), 0.5, name);
        assertTrue(box.getWidth() >= 400 && box.getWidth() <= 2000 && box.getHeight() >= 200
            && box.getHeight() <= 3000, name + " " + box);
        assertNull(doc.getDocumentInformation().getCreationDate(), name);
        assertNull(doc.getDocumentInformation().getModificationDate(), name);
        assertTrue(doc.getDocumentInformation().getTitle().length() > 5, name);
      }
    }
  }

  /** The score-by-condition figure colours each condition's bar: C1's blue must be on the page. */
  @Test
  void theRasterisedPageShowsTheBarsAndTheirColours() throws Exception {
    String name = pdfs.keySet().stream().filter(n -> n.contains("score-condition")).findFirst().orElseThrow();
    try (PDDocument doc = Loader.loadPDF(pdfs.get(name))) {
      BufferedImage img = new PDFRenderer(doc).renderImage(0, 1f);
      long blue = pixels(img, 0, rgb -> near(rgb, 0x0072B2));
      long dark = pixels(img, 0, rgb -> brightness(rgb) < 80);
      // A bar of about 60 x 100 px or more; axis lines, error bars and outlined text make the dark ones.
      assertTrue(blue > 3000, "pixels of C1's colour: " + blue);
      assertTrue(dark > 1000, "dark pixels (axes, text): " + dark);
    }
  }

  /** A run's warm-up draws its sample through the same path: one page, bars and outlined text on it. */
  @Test
  void theWarmUpSampleIsARealDrawing() throws Exception {
    try (PDDocument doc = Loader.loadPDF(FigurePdf.warmUp())) {
      assertEquals(1, doc.getNumberOfPages());
      assertEquals(640, doc.getPage(0).getMediaBox().getWidth(), 0.5);
      BufferedImage img = new PDFRenderer(doc).renderImage(0, 1f);
      long bars = pixels(img, 0, rgb -> near(rgb, 0x4E79A7));
      long dark = pixels(img, 271, rgb -> brightness(rgb) < 80);
      assertTrue(bars > 12 * 30 * 100, "pixels of the bars' colour: " + bars);
      assertTrue(dark > 200, "dark pixels of the labels under the bars: " + dark);
    }
  }

  /** Pixels from row {@code fromRow} down whose colour (0xRRGGBB) passes {@code test}. */
  private static long pixels(BufferedImage img, int fromRow, java.util.function.IntPredicate test) {
    long n = 0;
    for (int y = fromRow; y < img.getHeight(); y++) {
      for (int x = 0; x < img.getWidth(); x++) {
        n += test.test(img.getRGB(x, y) & 0xFFFFFF) ? 1 : 0;
      }
    }
    return n;
  }

  private static boolean near(int rgb, int target) {
    for (int shift = 0; shift <= 16; shift += 8) {
      if (Math.abs(((rgb >> shift) & 0xFF) - ((target >> shift) & 0xFF)) > 12) {
        return false;
      }
    }
    return true;
  }

  private static int brightness(int rgb) {
    return (((rgb >> 16) & 0xFF) + ((rgb >> 8) & 0xFF) + (rgb & 0xFF)) / 3;
  }
}
