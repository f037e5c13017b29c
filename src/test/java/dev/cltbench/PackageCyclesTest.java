package dev.cltbench;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * One package per concern and no package cycles: a reader follows the data's way down the packages,
 * never back up. Checked on the compiled classes (ArchUnit), so a fully qualified name used without an
 * import counts too.
 */
class PackageCyclesTest {
  @Test
  void packagesFormNoCycle() {
    JavaClasses classes = new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("dev.cltbench");
    slices().matching("dev.cltbench.(*)..").should().beFreeOfCycles().check(classes);
  }
}
