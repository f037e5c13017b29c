package dev.cltbench;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.belongToAnyOf;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.apache.beam.sdk.Pipeline;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The command line only parses options and calls a pipeline's entry: no DoFn, no graph, no client or
 * emulator wiring in {@code cli}. Checked on the compiled classes, so a fully qualified name used
 * without an import counts too.
 */
class CommandLineOnlyParsesTest {
  private static JavaClasses classes;

  @BeforeAll
  static void importClasses() {
    classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("dev.cltbench");
  }

  /** Classes of {@code pkg} may not touch Beam's graph, the transforms, the clients or the emulator. */
  private static ArchRule parsesOnly(String pkg) {
    return noClasses().that().resideInAPackage(pkg + "..")
        .should().dependOnClassesThat(resideInAnyPackage("org.apache.beam.sdk.transforms..",
            "org.apache.beam.sdk.values..", "dev.cltbench.transforms..", "dev.cltbench.clients..",
            "dev.cltbench.emulator..").or(belongToAnyOf(Pipeline.class)))
        .because("cli parses options and calls run(options); the pipelines package builds and runs graphs");
  }

  @Test
  void cliBuildsNoGraphAndWiresNoClient() {
    parsesOnly("dev.cltbench.cli").check(classes);
  }

  @Test
  void theRuleSeesWhatThePipelinesDo() {
    // The same rule on the package that builds the graphs must fail, or it checks nothing.
    assertThrows(AssertionError.class, () -> parsesOnly("dev.cltbench.pipelines").check(classes));
  }
}
