package dev.cltbench.report;

import de.rototor.pdfbox.graphics2d.PdfBoxGraphics2D;
import java.awt.geom.Dimension2D;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import org.apache.batik.anim.dom.SAXSVGDocumentFactory;
import org.apache.batik.bridge.BridgeContext;
import org.apache.batik.bridge.DocumentLoader;
import org.apache.batik.bridge.GVTBuilder;
import org.apache.batik.bridge.UserAgentAdapter;
import org.apache.batik.gvt.GraphicsNode;
import org.apache.batik.util.XMLResourceDescriptor;
import org.apache.pdfbox.cos.COSArray;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.cos.COSString;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDDocumentInformation;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.graphics.form.PDFormXObject;
import org.w3c.dom.svg.SVGDocument;

/**
 * A standalone SVG figure as a one-page vector PDF of the same size (1 SVG px = 1 PDF point), for
 * papers. Batik builds the figure's shapes from the SVG (its CSS included), PDFBox's Graphics2D bridge
 * draws them; text is drawn as outlines, so the PDF needs no font and looks the same everywhere.
 *
 * <p>Deterministic: PDFBox would stamp a random trailer /ID; here it is the SHA-256 of the SVG, and
 * the document carries no creation or modification date (it has none that would be true of the
 * study's data, and the clock would make every run's file differ). The same SVG gives the same bytes.
 */
public final class FigurePdf {
  private FigurePdf() {}

  /** The PDF of a standalone SVG document (as {@link FigureFiles} writes them). */
  public static byte[] of(String svg, String title) {
    byte[] digest = sha256(svg);
    try {
      SAXSVGDocumentFactory factory = new SAXSVGDocumentFactory(XMLResourceDescriptor.getXMLParserClassName());
      // The base URI is fixed: Batik resolves nothing external in these figures.
      SVGDocument doc = factory.createSVGDocument("file:/figure.svg", new StringReader(svg));
      UserAgentAdapter agent = new UserAgentAdapter();
      BridgeContext context = new BridgeContext(agent, new DocumentLoader(agent));
      context.setDynamicState(BridgeContext.STATIC);
      GraphicsNode node = new GVTBuilder().build(context, doc);
      Dimension2D size = context.getDocumentSize();
      float w = (float) size.getWidth();
      float h = (float) size.getHeight();
      try (PDDocument pdf = new PDDocument(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
        PDPage page = new PDPage(new PDRectangle(w, h));
        pdf.addPage(page);
        PdfBoxGraphics2D g = new PdfBoxGraphics2D(pdf, w, h);
        try {
          node.paint(g);
        } finally {
          g.dispose();
        }
        PDFormXObject form = g.getXFormObject();
        try (PDPageContentStream content = new PDPageContentStream(pdf, page)) {
          content.drawForm(form);
        }
        PDDocumentInformation info = new PDDocumentInformation();
        info.setTitle(title);
        info.setCreator("cltbench");
        pdf.setDocumentInformation(info);
        COSString id = new COSString(Arrays.copyOf(digest, 16));
        COSArray ids = new COSArray();
        ids.add(id);
        ids.add(id);
        pdf.getDocument().getTrailer().setItem(COSName.ID, ids);
        pdf.save(out);
        return out.toByteArray();
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot draw the figure \"" + title + "\" as PDF", e);
    }
  }

  /**
   * Draws a sample figure (bars, grid lines, markers, Latin and Cyrillic labels: what the report's
   * charts hold) a few times and returns its last PDF. A live run calls it while it waits on the
   * network: the first figures a JVM draws pay for loading Batik, PDFBox and AWT's fonts and for
   * compiling their code (measured: 0.9 s for the published report's figures cold, 0.3 s warm).
   */
  public static byte[] warmUp() {
    return warmUp(3);
  }

  /** As {@link #warmUp()} with {@code draws} drawings: one loads the renderer, more compile it too. */
  public static byte[] warmUp(int draws) {
    StringBuilder svg = new StringBuilder("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 640 300\" "
        + "width=\"640\" height=\"300\"><style>text{font-size:12px;fill:#222}.bar{fill:#4e79a7}"
        + ".grid{stroke:#ccc}</style><title id=\"warm-up-title\">Sample &amp; figure</title>");
    for (int i = 0; i < 12; i++) {
      int x = 40 + i * 45;
      svg.append("<line class=\"grid\" x1=\"30\" x2=\"620\" y1=\"").append(20 + i * 20).append("\" y2=\"")
          .append(20 + i * 20).append("\"/><rect class=\"bar\" x=\"").append(x).append("\" y=\"").append(60 + i * 7)
          .append("\" width=\"30\" height=\"").append(200 - i * 7).append("\"/><circle cx=\"").append(x + 15)
          .append("\" cy=\"50\" r=\"4\"/><path d=\"M").append(x).append(" 40 L").append(x + 30)
          .append(" 30\" stroke=\"#222\"/><text x=\"").append(x + 15).append("\" y=\"285\" text-anchor=\"middle\">")
          .append(i % 2 == 0 ? "Model " : "\u049a\u0430\u0437\u0430\u049b ").append(i).append("</text>");
    }
    String sample = svg.append("</svg>").toString();
    byte[] pdf = null;
    for (int i = 0; i < draws; i++) {
      pdf = of(sample, "warm-up");
    }
    return pdf;
  }

  private static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
