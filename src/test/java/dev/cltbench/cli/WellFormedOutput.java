package dev.cltbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;

/**
 * What every report output must be, whatever the data: each figure an SVG document an XML parser
 * reads (in the SVG namespace), each page well-formed (the page is written as polyglot HTML, so an XML
 * parser reads it), each CSV read back by commons-csv with one cell per column in every row and no
 * number printed as NaN or Infinity.
 */
final class WellFormedOutput {
  private WellFormedOutput() {}

  static void check(Path out) throws Exception {
    List<Path> files;
    try (Stream<Path> walk = Files.walk(out)) {
      files = walk.filter(Files::isRegularFile).sorted().toList();
    }
    int svgs = 0;
    int pages = 0;
    int tables = 0;
    for (Path f : files) {
      String name = f.getFileName().toString();
      if (name.endsWith(".svg")) {
        Document d = parser(true).parse(f.toFile());
        assertEquals("http://www.w3.org/2000/svg", d.getDocumentElement().getNamespaceURI(), f.toString());
        assertNoNonNumbers(f);
        svgs++;
      } else if (name.endsWith(".html")) {
        Document d = parser(false).parse(f.toFile());
        assertEquals("html", d.getDocumentElement().getTagName(), f.toString());
        pages++;
      } else if (name.endsWith(".csv")) {
        List<Map<String, String>> rows = IndependentAggregates.csv(f);
        for (Map<String, String> row : rows) {
          for (Map.Entry<String, String> cell : row.entrySet()) {
            assertFalse(List.of("NaN", "Infinity", "-Infinity", "n/a").contains(cell.getValue()),
                f + ": " + cell.getKey() + " in " + row);
          }
        }
        tables++;
      }
    }
    assertTrue(svgs >= 1 && pages == 1 && tables >= 4, "figures " + svgs + ", pages " + pages
        + ", tables " + tables + " in " + out);
  }

  /** A figure's coordinates and numbers are numbers: no NaN or Infinity anywhere in its text. */
  private static void assertNoNonNumbers(Path svg) throws Exception {
    String s = Files.readString(svg, StandardCharsets.UTF_8);
    assertFalse(s.contains("NaN") || s.contains("Infinity"), svg + " draws a non-number");
  }

  static DocumentBuilder parser(boolean namespaces) throws Exception {
    DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
    f.setNamespaceAware(namespaces);
    f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
    DocumentBuilder b = f.newDocumentBuilder();
    // Errors are failures, not messages on stderr.
    b.setErrorHandler(new org.xml.sax.helpers.DefaultHandler() {
      @Override
      public void error(org.xml.sax.SAXParseException e) throws org.xml.sax.SAXException {
        throw e;
      }

      @Override
      public void fatalError(org.xml.sax.SAXParseException e) throws org.xml.sax.SAXException {
        throw e;
      }
    });
    return b;
  }
}
