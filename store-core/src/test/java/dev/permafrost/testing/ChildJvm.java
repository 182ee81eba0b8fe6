package dev.permafrost.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a child process to completion for a test, and never leaves it running. */
public final class ChildJvm {
    private ChildJvm() {
    }

    /**
     * What a child printed and how it ended.
     *
     * @param output   standard output and error, merged
     * @param exitCode its exit status
     */
    public record Result(String output, int exitCode) {
    }

    /**
     * Runs the command, waits up to a minute for it, and kills it if it is still running.
     *
     * @param command the command line
     * @return what it printed and its exit status
     * @throws IOException          if it cannot be started
     * @throws InterruptedException if the wait is interrupted
     * @throws AssertionError       if it does not finish within a minute
     */
    public static Result run(List<String> command) throws IOException, InterruptedException {
        Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!child.waitFor(60, TimeUnit.SECONDS)) {
                throw new AssertionError("the child did not finish: " + output);
            }
            return new Result(output, child.exitValue());
        } finally {
            child.destroyForcibly();
            child.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
