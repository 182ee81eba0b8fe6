package dev.permafrost.jmh.cache;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A fresh JVM running a main class of this class path (the benchmarks' jar), for the suites that
 * are not JMH: the same {@code java} binary as this one, the JVM options given (a peer's
 * {@link PeerFlags}, a heap size) and nothing else inherited. A child reports its measurement as
 * one line of standard output, {@code RESULT key=value key=value...} ({@link #resultLine});
 * everything else it prints is kept only to explain a failure.
 */
public final class ChildJvm {
    private ChildJvm() {
    }

    /**
     * Runs a child JVM to its end.
     *
     * @param jvmOptions its JVM options
     * @param mainClass  the class whose {@code main} it runs
     * @param args       the arguments of {@code main}
     * @param timeout    how long it may take; it is killed after that
     * @return the {@code RESULT} line's values, in their order
     * @throws IllegalStateException if it exits with a non-zero status, times out or reports no {@code RESULT}
     *                               line; the message holds the end of its output
     */
    public static Map<String, String> run(List<String> jvmOptions, Class<?> mainClass, List<String> args, Duration timeout) {
        List<String> lines = output(jvmOptions, mainClass, args, timeout);
        for (int i = lines.size() - 1; i >= 0; i--) {
            if (lines.get(i).startsWith("RESULT ")) {
                return parseResult(lines.get(i));
            }
        }
        throw new IllegalStateException(describe(mainClass, args) + " reported no RESULT line; its output ends with:\n"
                + String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size())));
    }

    /**
     * Runs a child JVM to its end and returns everything it printed.
     *
     * @param jvmOptions its JVM options
     * @param mainClass  the class whose {@code main} it runs
     * @param args       the arguments of {@code main}
     * @param timeout    how long it may take; it is killed after that
     * @return the lines of its standard output and standard error, interleaved as written
     * @throws IllegalStateException if it exits with a non-zero status or times out; the message holds
     *                               the end of its output
     */
    public static List<String> output(List<String> jvmOptions, Class<?> mainClass, List<String> args, Duration timeout) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass.getName());
        command.addAll(args);
        Path output = null;
        Process process = null;
        try {
            output = Files.createTempFile("permafrost-child-", ".out");
            process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile())
                    .redirectInput(ProcessBuilder.Redirect.PIPE).start();
            process.getOutputStream().close();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor();
                throw new IllegalStateException(describe(mainClass, args) + " did not finish within " + timeout
                        + "; its output ends with:\n" + tail(output));
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException(describe(mainClass, args) + " exited with status " + process.exitValue()
                        + "; its output ends with:\n" + tail(output));
            }
            return Files.readAllLines(output, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + describe(mainClass, args), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted waiting for " + describe(mainClass, args), e);
        } finally {
            if (process != null && process.isAlive()) {
                process.destroyForcibly();
            }
            if (output != null) {
                try {
                    Files.deleteIfExists(output);
                } catch (IOException e) {
                    // a temporary file left behind: not worth failing the measurement for
                }
            }
        }
    }

    /**
     * Makes the line a child prints to report its measurement.
     *
     * @param values its values; keys and values without spaces or {@code =}
     * @return {@code RESULT key=value...}
     * @throws IllegalArgumentException if a key or value has a space or an {@code =}
     */
    public static String resultLine(Map<String, ?> values) {
        StringBuilder line = new StringBuilder("RESULT");
        values.forEach((key, value) -> {
            String text = String.valueOf(value);
            if (key.isEmpty() || key.contains(" ") || key.contains("=") || text.contains(" ") || text.contains("=")) {
                throw new IllegalArgumentException("a result's key and value have no space nor '=': " + key + "=" + text);
            }
            line.append(' ').append(key).append('=').append(text);
        });
        return line.toString();
    }

    /**
     * Reads the values of a {@code RESULT} line.
     *
     * @param line the line
     * @return its values, in their order
     * @throws IllegalArgumentException if it is not a {@code RESULT} line of {@code key=value} words
     */
    public static Map<String, String> parseResult(String line) {
        String[] words = line.trim().split(" +");
        if (words.length == 0 || !words[0].equals("RESULT")) {
            throw new IllegalArgumentException("not a RESULT line: " + line);
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 1; i < words.length; i++) {
            int equals = words[i].indexOf('=');
            if (equals <= 0) {
                throw new IllegalArgumentException("word " + i + " of the RESULT line is not key=value: " + line);
            }
            values.put(words[i].substring(0, equals), words[i].substring(equals + 1));
        }
        return values;
    }

    private static String describe(Class<?> mainClass, List<String> args) {
        return "the child JVM " + mainClass.getSimpleName() + " " + String.join(" ", args);
    }

    private static String tail(Path output) {
        try {
            List<String> lines = Files.readAllLines(output, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
        } catch (IOException e) {
            return "(its output cannot be read: " + e.getMessage() + ")";
        }
    }
}
