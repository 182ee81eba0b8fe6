package dev.permafrost.jmh.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The smoke run of {@code ./mvnw verify -Pbench-smoke}: every JMH benchmark in the jar once, one
 * very short iteration in one fork (so each peer starts in its own JVM with its own flags), failing
 * on the first error; then each suite that is not JMH ({@code dev.permafrost.jmh.SUITE.SuiteSuite})
 * with {@code --smoke} (or {@code --quick} if it has no such flag), whose results must read as JMH
 * JSON and hold no error. Exit status 0 when everything ran, 1 otherwise.
 *
 * <pre>
 * java -cp benchmarks.jar dev.permafrost.jmh.report.Smoke --jar benchmarks.jar --out DIR --traces DIR
 *     [--include REGEX] [-- JMH-ARGS...]
 * </pre>
 *
 * <p>{@code --include} narrows the JMH benchmarks (default: every one, {@code dev\.permafrost\.jmh\..*});
 * {@code ./mvnw verify -Pbench-smoke -Dbench-smoke.include=REGEX} passes it.
 */
public final class Smoke {
    /** The suites that are not JMH (and the cache suite's part that JMH cannot measure), each a class {@code dev.permafrost.jmh.<suite>.<Suite>Suite}. */
    static final List<String> PROGRAM_SUITES = List.of("cache", "startup", "fleet", "trace");

    private Smoke() {
    }

    /**
     * Runs the smoke test.
     *
     * @param args the options above
     * @throws IOException if a log or result cannot be read or written
     * @throws InterruptedException if interrupted while a child JVM runs
     */
    public static void main(String[] args) throws IOException, InterruptedException {
        Path jar = null;
        Path out = Path.of("target/smoke");
        Path traces = null;
        String include = "dev\\.permafrost\\.jmh\\..*";
        List<String> jmhArgs = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--jar" -> jar = Path.of(args[++i]);
                case "--out" -> out = Path.of(args[++i]);
                case "--traces" -> traces = Path.of(args[++i]);
                case "--include" -> include = args[++i];
                case "--" -> {
                    jmhArgs.addAll(List.of(args).subList(i + 1, args.length));
                    i = args.length;
                }
                default -> {
                    System.err.println("smoke: unknown argument '" + args[i] + "'");
                    System.exit(2);
                }
            }
        }
        if (jar == null || !Files.isRegularFile(jar)) {
            System.err.println("smoke: --jar names no file: " + jar);
            System.exit(2);
        }
        Files.createDirectories(out);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> failures = new ArrayList<>();

        List<String> jmh = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED", "-jar", jar.toString(),
                include, "-f", "1", "-wi", "0", "-i", "1", "-r", "50ms", "-foe", "true",
                "-rf", "json", "-rff", out.resolve("jmh.json").toString()));
        jmh.addAll(jmhArgs);
        long start = System.nanoTime();
        int status = run(jmh, out.resolve("jmh.log"), true);
        List<Meta.BenchError> errors = Meta.jmhErrors(Files.readAllLines(out.resolve("jmh.log")), "jmh");
        if (status != 0 || !errors.isEmpty()) {
            failures.add("JMH exit status " + status + (errors.isEmpty() ? "" : ": " + errors));
        }
        System.out.printf(Locale.ROOT, "smoke: JMH benchmarks took %.0f s%n", (System.nanoTime() - start) / 1e9);

        for (String suite : PROGRAM_SUITES) {
            String main = "dev.permafrost.jmh." + suite + "." + Character.toUpperCase(suite.charAt(0)) + suite.substring(1) + "Suite";
            try {
                Class.forName(main, false, Smoke.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                System.out.println("smoke: no " + main + " in the jar: suite " + suite + " not smoke-tested");
                continue;
            }
            Path json = out.resolve(suite + ".json");
            Files.deleteIfExists(json);
            List<String> command = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED", "-cp", jar.toString(),
                    main, "--out", json.toString()));
            if (suite.equals("trace") && traces != null) {
                command.addAll(List.of("--traces", traces.toString()));
            }
            command.add("--smoke");
            Path log = out.resolve(suite + ".log");
            start = System.nanoTime();
            status = run(command, log, false);
            if (status != 0 && Files.readString(log, StandardCharsets.UTF_8).contains("--smoke")) {
                command.set(command.size() - 1, "--quick"); // a suite without a smoke mode: its quick run
                status = run(command, log, false);
            }
            System.out.printf(Locale.ROOT, "smoke: %s took %.0f s, exit status %d%n", suite, (System.nanoTime() - start) / 1e9, status);
            if (status != 0) {
                failures.add(suite + ": exit status " + status + ", log " + log);
                continue;
            }
            try {
                List<Result> results = ResultFile.read(json, Smoke.class.getClassLoader());
                if (results.isEmpty()) {
                    failures.add(suite + ": wrote no results to " + json);
                }
                for (Result r : results) {
                    if (r.error() != null) {
                        failures.add(suite + ": " + r.benchmark() + " " + r.paramsText() + ": " + r.error());
                    } else if (r.operation() == null || r.subject() == null) {
                        failures.add(suite + ": " + r.benchmark() + " has no operation and subject");
                    }
                }
            } catch (BadResultsException e) {
                failures.add(suite + ": " + e.getMessage());
            }
        }
        if (!failures.isEmpty()) {
            failures.forEach(f -> System.err.println("smoke: FAILED " + f));
            System.exit(1);
        }
        System.out.println("smoke: every benchmark ran");
    }

    /** Runs a child JVM, its output into {@code log} (and to this one's standard output if {@code echo}). */
    private static int run(List<String> command, Path log, boolean echo) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try (var in = process.getInputStream(); var file = Files.newOutputStream(log)) {
            byte[] buffer = new byte[8192];
            for (int n; (n = in.read(buffer)) > 0; ) {
                file.write(buffer, 0, n);
                if (echo) {
                    System.out.write(buffer, 0, n);
                }
            }
        } finally {
            System.out.flush();
        }
        int status = process.waitFor();
        if (!echo) {
            System.out.print(Files.readString(log, StandardCharsets.UTF_8));
        }
        return status;
    }
}
