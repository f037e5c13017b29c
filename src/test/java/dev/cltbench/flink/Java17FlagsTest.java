package dev.cltbench.flink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The Java 17 flags exist twice: pom.xml's java17.flags (test JVMs) and scripts/java17-flags.txt
 * (./cltbench and the cluster JVMs). Both must list the same flags, and the test JVM must have them.
 */
class Java17FlagsTest {
  @Test
  void pomPropertyAndFlagsFileAgreeAndTestJvmHasThem() throws Exception {
    Matcher m = Pattern.compile("<java17.flags>(.*?)</java17.flags>", Pattern.DOTALL)
        .matcher(Files.readString(Path.of("pom.xml")));
    assertTrue(m.find(), "pom.xml defines java17.flags");
    List<String> pom = Arrays.asList(m.group(1).strip().split("\\s+"));
    List<String> file = Files.readAllLines(Path.of("scripts/java17-flags.txt")).stream()
        .map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
    assertEquals(pom, file);
    assertTrue(file.contains("--add-opens=java.base/java.util=ALL-UNNAMED"), file.toString());
    // Surefire's argLine carries them: java.util is open to the unnamed module here.
    assertTrue(Object.class.getModule().isOpen("java.util", Java17FlagsTest.class.getModule()));
  }
}
