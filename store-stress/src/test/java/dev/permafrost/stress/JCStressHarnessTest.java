package dev.permafrost.stress;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The harness can fail: jcstress, run on {@link BrokenRetainRelease} alone (a retain with a
 * non-atomic read-modify-write), reports the lost update as the forbidden outcome it is and
 * fails the test. A short run in a child JVM (one fork, three iterations of 200 ms, one JVM
 * configuration), so it stays in {@code ./mvnw verify}.
 */
class JCStressHarnessTest {
    private static final Path MAIN_CLASSES = Path.of(System.getProperty("permafrost.stress.classes", "target/classes"));
    private static final Path REPORTS = Path.of(System.getProperty("permafrost.stress.reports", "target/jcstress-harness"));
    /** The forks' flags (jcstress adds this JVM's own, and sets their heap from {@code -hs}). */
    private static final String FORK_ARGS = "--enable-native-access=ALL-UNNAMED";

    @TempDir
    Path stores;

    @Test
    void jcstressFailsTheBrokenVariantOfRetainRelease() throws IOException, InterruptedException {
        Files.createDirectories(REPORTS);
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx64m", "--enable-native-access=ALL-UNNAMED", "-cp", testClassPath(), "org.openjdk.jcstress.Main",
                "-t", "BrokenRetainRelease", "-f", "1", "-iters", "3", "-time", "200", "-c", "2", "-hs", "64",
                "-jvmArgs", FORK_ARGS + " -Dpermafrost.stress.dir=" + stores, "-r", REPORTS.toString());
        String output = run(command);
        output.lines().filter(line -> line.contains("Forbidden") || line.contains("Acceptable") || line.contains(" planned;"))
                .forEach(System.out::println); // the outcomes seen, in the test's report

        assertThat(output).as(output).contains("dev.permafrost.stress.BrokenRetainRelease");
        assertThat(output).as("the run's summary: the broken test failed\n" + output)
                .containsPattern("\\(Results: (\\d+) planned; 0 passed, \\1 failed")
                .containsPattern("Failed tests: [1-9]\\d* matching test results");
        assertThat(output).as("the lost update was seen, and is forbidden\n" + output)
                .containsPattern("(?m)^\\s+2\\s+[1-9][\\d,]*\\s+\\S+%\\s+Forbidden\\s+a retain was lost");
        try (Stream<Path> left = Files.list(stores)) {
            assertThat(left).as("files the forks left in " + stores).isEmpty();
        }
    }

    /** This JVM's class path without the main classes: jcstress then reads the test sources' list, which names the broken test alone. */
    private static String testClassPath() {
        String mainClasses = MAIN_CLASSES.toAbsolutePath().normalize().toString();
        return Stream.of(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> !entry.isBlank() && !Path.of(entry).toAbsolutePath().normalize().toString().equals(mainClasses))
                .collect(Collectors.joining(File.pathSeparator));
    }

    /** Runs jcstress in the reports folder (it writes its result blob where it runs), up to two minutes; never leaves it or its forks running. */
    private static String run(List<String> command) throws IOException, InterruptedException {
        Process child = new ProcessBuilder(command).directory(REPORTS.toFile()).redirectErrorStream(true).start();
        try {
            Thread.ofVirtual().start(() -> { // a run that hangs: killed below, which ends the read
                try {
                    if (!child.waitFor(120, TimeUnit.SECONDS)) {
                        child.descendants().forEach(ProcessHandle::destroyForcibly);
                        child.destroyForcibly();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(child.waitFor(10, TimeUnit.SECONDS)).as("jcstress ended\n" + output).isTrue();
            return output;
        } finally {
            child.descendants().forEach(ProcessHandle::destroyForcibly);
            child.destroyForcibly();
            child.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
