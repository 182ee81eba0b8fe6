package dev.permafrost.architecture;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.permafrost.cache.SharedCache;
import dev.permafrost.fleet.Supervisor;
import dev.permafrost.heapdump.HeapDump;
import dev.permafrost.layout.StoreFormat;
import dev.permafrost.store.Store;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The module graph as a build check, over the main classes of every module (store-tools' tests
 * see them all): no package cycle, the format depends on nothing of the store, and the store
 * on nothing of the fleets or the tools.
 */
class ArchitectureTest {
    /** store-core's packages; {@link #storeCorePackagesAreTheModulesPackages} keeps the list true. */
    private static final String[] STORE_CORE = {"dev.permafrost.store..", "dev.permafrost.memory..", "dev.permafrost.alloc..",
            "dev.permafrost.file..", "dev.permafrost.refcount..", "dev.permafrost.os.."};
    /** store-layout's packages. */
    private static final String[] STORE_LAYOUT = {"dev.permafrost.layout..", "dev.permafrost.error.."};

    private static JavaClasses classes;

    @BeforeAll
    static void importTheMainClasses() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.permafrost");
    }

    @Test
    void everyModuleIsImported() {
        for (Class<?> type : new Class<?>[] {StoreFormat.class, Store.class, Supervisor.class, HeapDump.class, SharedCache.class}) {
            assertThat(classes.contain(type)).as("%s imported from %s", type.getName(), type.getModule()).isTrue();
        }
        assertThat(classes.stream().map(JavaClass::getPackageName)).noneMatch(p -> p.startsWith("dev.permafrost.architecture"));
    }

    @Test
    void storeCorePackagesAreTheModulesPackages() {
        Set<String> listed = Arrays.stream(STORE_CORE).map(p -> p.substring(0, p.length() - 2))
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(new TreeSet<>(Store.class.getModule().getPackages())).as("module %s", Store.class.getModule())
                .isEqualTo(listed);
    }

    @Test
    void thePackagesOfPermafrostFormNoCycle() {
        slices().matching("dev.permafrost.(*)..").should().beFreeOfCycles().check(classes);
    }

    @Test
    void storeLayoutDependsOnNothingElseOfPermafrost() {
        noClasses().that().resideInAnyPackage(STORE_LAYOUT)
                .should().dependOnClassesThat(resideInAPackage("dev.permafrost..").and(not(resideInAnyPackage(STORE_LAYOUT))))
                .check(classes);
    }

    @Test
    void storeCoreDependsOnNeitherFleetsNorToolsNorTheCache() {
        noClasses().that().resideInAnyPackage(STORE_CORE)
                .should().dependOnClassesThat().resideInAnyPackage("dev.permafrost.fleet..", "dev.permafrost.heapdump..",
                        "dev.permafrost.demo..", "dev.permafrost.cache..")
                .check(classes);
    }

    @Test
    void theCacheUsesOnlyTheStoresPublicApiAndTheFormat() {
        noClasses().that().resideInAPackage("dev.permafrost.cache..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.permafrost.alloc..", "dev.permafrost.file..",
                        "dev.permafrost.refcount..", "dev.permafrost.os..", "dev.permafrost.fleet..", "dev.permafrost.heapdump..",
                        "dev.permafrost.demo..")
                .check(classes);
    }
}
