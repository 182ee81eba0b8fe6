package dev.permafrost.stress;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.openjdk.jcstress.annotations.JCStressTest;

/**
 * jcstress's annotation processor ran over the main sources: its test list names every class
 * annotated {@link JCStressTest}, each with a generated runner. On JDK 23+ a processor found only
 * on the class path does not run, and the build would succeed with a jar of no tests.
 */
class JCStressTestListTest {
    private static final Path CLASSES = Path.of(System.getProperty("permafrost.stress.classes", "target/classes"));

    @Test
    void theTestListNamesEveryJCStressTestOfTheMainSources() throws IOException {
        Path list = CLASSES.resolve("META-INF/TestList");
        assertThat(list).as("jcstress's generated test list").exists();
        List<String> entries = Files.readAllLines(list, StandardCharsets.UTF_8).stream().filter(line -> !line.isBlank()).toList();
        List<String> tests = annotatedTests();
        assertThat(tests).as("@JCStressTest classes in %s", CLASSES).hasSizeGreaterThanOrEqualTo(12);
        assertThat(entries).as("one entry per test").hasSameSizeAs(tests);
        for (String test : tests) {
            assertThat(entries).as("the test list").anySatisfy(entry -> assertThat(entry).contains(test));
            String runner = test.replace('$', '_') + "_jcstress";
            assertThat(CLASSES.resolve(runner.replace('.', '/') + ".class")).as("the runner jcstress generated for " + test).exists();
        }
    }

    /** Binary names of the main classes annotated {@code @JCStressTest}. */
    private static List<String> annotatedTests() throws IOException {
        try (Stream<Path> files = Files.walk(CLASSES)) {
            return files.filter(f -> f.toString().endsWith(".class") && !f.toString().endsWith("_jcstress.class"))
                    .map(f -> CLASSES.relativize(f).toString().replace('/', '.').replaceAll("\\.class$", ""))
                    .filter(name -> !name.endsWith("package-info") && isTest(name)).sorted().toList();
        }
    }

    private static boolean isTest(String className) {
        try {
            return Class.forName(className, false, JCStressTestListTest.class.getClassLoader()).isAnnotationPresent(JCStressTest.class);
        } catch (ClassNotFoundException e) {
            throw new AssertionError(className + " is in " + CLASSES + " but cannot be loaded", e);
        }
    }
}
