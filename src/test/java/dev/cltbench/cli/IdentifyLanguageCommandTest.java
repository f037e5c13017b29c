package dev.cltbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code identify-language} on files in each input format, narrowed and widened, and on bad input. */
class IdentifyLanguageCommandTest {
  @TempDir
  Path dir;

  private Path file(String name, String content) throws Exception {
    Path p = dir.resolve(name);
    Files.writeString(p, content, StandardCharsets.UTF_8);
    return p;
  }

  @Test
  void linesTsvAndJsonl() throws Exception {
    Path lines = file("a.txt", "Ар бир адам билим алууга укуктуу.\nBugun havo juda yaxshi, shuning uchun biz bolalar bilan bogʻga boramiz.\n");
    CliRun r = CliRun.of("identify-language", "--input=" + lines);
    assertEquals(0, r.exit(), r.toString());
    String[] out = r.out().split("\n");
    assertEquals(2, out.length, r.out());
    assertTrue(out[0].startsWith("1\tkir\t"), out[0]);
    assertTrue(out[1].startsWith("2\tuzb\t"), out[1]);
    assertEquals(4, out[0].split("\t").length);

    Path tsv = file("a.tsv", "q7\tБарлық адамдар тумысынан азат және қадір-қасиеті мен құқықтары тең болып дүниеге келеді.\n");
    r = CliRun.of("identify-language", "--input=" + tsv, "--format=tsv");
    assertTrue(r.out().startsWith("q7\tkaz\t"), r.toString());

    Path jsonl = file("a.jsonl", "{\"key\": \"x1\", \"answer\": \"Хүн бүр эрх чөлөөтэй, адилхан нэр төртэй төрдөг.\"}\n");
    r = CliRun.of("identify-language", "--input=" + jsonl, "--format=jsonl", "--textField=answer",
        "--idField=key");
    assertTrue(r.out().startsWith("x1\tmon\t"), r.toString());
  }

  @Test
  void candidatesNarrowAndWiden() throws Exception {
    Path p = file("b.txt", "Ар бир адам билим алууга укуктуу.\nDas ist ein ganz normaler deutscher Satz über das Wetter.\n");
    CliRun narrow = CliRun.of("identify-language", "--input=" + p, "--candidates=kaz,rus");
    assertTrue(narrow.out().split("\n")[0].matches("1\t(kaz|rus)\t.*"), narrow.toString());
    CliRun wide = CliRun.of("identify-language", "--input=" + p, "--candidates=eng,kaz,kir,deu");
    String[] out = wide.out().split("\n");
    assertTrue(out[0].startsWith("1\tkir\t"), wide.toString());
    assertTrue(out[1].startsWith("2\tdeu\t"), wide.toString());
    CliRun unknown = CliRun.of("identify-language", "--input=" + p, "--candidates=xx1");
    assertEquals(Main.BAD_INPUT, unknown.exit(), unknown.toString());
  }

  @Test
  void badInputNamesFileLineAndFieldAndWritesNothing() throws Exception {
    Path jsonl = file("c.jsonl", "{\"text\": \"Hello there, this is fine.\"}\n{\"body\": \"no text field\"}\n");
    CliRun r = CliRun.of("identify-language", "--input=" + jsonl, "--format=jsonl");
    assertEquals(Main.BAD_INPUT, r.exit(), r.toString());
    assertEquals("", r.out());
    assertTrue(r.err().contains("c.jsonl line 2") && r.err().contains("'text'"), r.err());

    Path tsv = file("d.tsv", "ok\tfine text here\nno tab on this line\n");
    r = CliRun.of("identify-language", "--input=" + tsv, "--format=tsv");
    assertEquals(Main.BAD_INPUT, r.exit(), r.toString());
    assertEquals("", r.out());
    assertTrue(r.err().contains("d.tsv line 2"), r.err());

    r = CliRun.of("identify-language", "--input=" + dir.resolve("missing.txt"));
    assertEquals(Main.BAD_INPUT, r.exit(), r.toString());
  }
}
