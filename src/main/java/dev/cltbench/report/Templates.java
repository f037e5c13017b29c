package dev.cltbench.report;

import com.github.mustachejava.DefaultMustacheFactory;
import com.github.mustachejava.Mustache;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Mustache templates (mustache.java, from Maven Central) for the report page's skeleton, its tables
 * and the review form. Mustache because it is logic-less: what the page says and computes stays in
 * tested Java, the templates hold only markup; mustache.java has no dependencies to clash with Beam's.
 * Values are escaped with {@link HtmlReport#escape}, so the page stays well-formed XML and the bytes
 * do not depend on the engine's own escaper; triple braces insert markup built elsewhere (SVG figures).
 */
public final class Templates {
  private static final DefaultMustacheFactory FACTORY = new DefaultMustacheFactory() {
    @Override
    public void encode(String value, Writer writer) {
      try {
        writer.write(HtmlReport.escape(value));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  };

  private static final Map<String, Mustache> COMPILED = new ConcurrentHashMap<>();

  private Templates() {}

  /** The template {@code name} beside {@code owner}'s class file, rendered with {@code scope}. */
  public static String render(Class<?> owner, String name, Object scope) {
    String path = owner.getPackageName().replace('.', '/') + "/" + name;
    Mustache m = COMPILED.computeIfAbsent(path, p -> FACTORY.compile(new StringReader(resource(owner, name)), p));
    StringWriter out = new StringWriter();
    m.execute(out, scope);
    return out.toString();
  }

  /** A text resource beside {@code owner}'s class file. */
  public static String resource(Class<?> owner, String name) {
    try (InputStream in = owner.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + name + " of " + owner.getPackageName());
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
