package dev.permafrost.heapdump;

import dev.permafrost.error.PermafrostException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code heap-dump}: what is in a store file, and which pages a live worker copied and why.
 * Run it with {@code scripts/heap-dump}; {@code heap-dump COMMAND --help} describes each
 * command.
 */
@Command(name = "heap-dump", mixinStandardHelpOptions = true, version = "heap-dump (Permafrost) 0.1.0",
        description = "Looks inside a Permafrost store file, and inside a live process that maps one.",
        subcommands = {InfoCommand.class, HistoCommand.class, ObjectsCommand.class, RefcountsCommand.class,
                VerifyCommand.class, RecoverCommand.class, CowCommand.class, WorkersCommand.class, CommandLine.HelpCommand.class},
        footer = {"", "Exit codes: 0 success, 1 verify found problems, 2 bad input (one line on stderr; --debug adds the stack trace)."})
public final class HeapDump implements Runnable {
    /** Exit code: success. */
    public static final int OK = 0;
    /** Exit code: {@code verify} found problems in a readable store. */
    public static final int FINDINGS = 1;
    /** Exit code: bad input (missing, unreadable or corrupt file, bad PID, bad option). */
    public static final int BAD_INPUT = 2;

    private static volatile boolean terminalProgress;

    @Spec
    CommandSpec spec;

    private HeapDump() {
    }

    /**
     * Runs the CLI and exits with its exit code.
     *
     * @param args the command line
     */
    public static void main(String[] args) {
        terminalProgress = true;
        PrintWriter out = new PrintWriter(new java.io.OutputStreamWriter(System.out, StandardCharsets.UTF_8), true);
        PrintWriter err = new PrintWriter(new java.io.OutputStreamWriter(System.err, StandardCharsets.UTF_8), true);
        int code = execute(args, out, err);
        out.flush();
        err.flush();
        System.exit(code);
    }

    /**
     * Runs the CLI in this JVM.
     *
     * @param args the command line
     * @param out  stdout
     * @param err  stderr
     * @return the exit code: {@link #OK}, {@link #FINDINGS} or {@link #BAD_INPUT}
     */
    public static int execute(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cli = new CommandLine(new HeapDump());
        cli.setOut(out);
        cli.setErr(err);
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        boolean debug = Arrays.asList(args).contains("--debug");
        cli.setParameterExceptionHandler((e, arguments) -> {
            err.println("heap-dump: " + oneLine(e.getMessage()) + " (see " + commandPath(e.getCommandLine()) + " --help)");
            if (debug) {
                e.printStackTrace(err);
            }
            err.flush();
            return BAD_INPUT;
        });
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            err.println("heap-dump " + commandLine.getCommandName() + ": " + oneLine(describe(e)));
            if (debug) {
                e.printStackTrace(err);
            }
            err.flush();
            return BAD_INPUT;
        });
        int code = cli.execute(args);
        out.flush();
        err.flush();
        return code;
    }

    /**
     * Convenience for callers with streams.
     *
     * @param args the command line
     * @param out  stdout
     * @param err  stderr
     * @return the exit code
     */
    public static int execute(String[] args, PrintStream out, PrintStream err) {
        return execute(args, new PrintWriter(out, true, StandardCharsets.UTF_8), new PrintWriter(err, true, StandardCharsets.UTF_8));
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** {@return whether progress bars may be drawn: only when run from {@link #main} with a terminal} */
    static boolean terminalProgress() {
        return terminalProgress;
    }

    /** One line saying what went wrong, for any failure a command may end with. */
    private static String describe(Throwable e) {
        if (e instanceof PermafrostException) {
            return e.getMessage();
        }
        if (e instanceof InternalError) {
            return "the store file changed while it was read (truncated under the mapping?): " + e.getMessage();
        }
        if (e instanceof IndexOutOfBoundsException) {
            return "corrupt store: an offset read from the file points outside it (" + e.getMessage() + ")";
        }
        if (e instanceof OutOfMemoryError) {
            return "out of memory: the store is too large for this JVM's heap; raise -Xmx in HEAP_DUMP_JAVA_OPTS";
        }
        return "unexpected error: " + e + " (rerun with --debug for the stack trace)";
    }

    /**
     * The message as one line: a name read from a damaged file (a type's, a root's) may hold any
     * character, and an error is one line. Line breaks and other control characters are escaped.
     */
    static String oneLine(String message) {
        String text = String.valueOf(message);
        StringBuilder line = new StringBuilder(text.length());
        text.codePoints().forEach(c -> {
            switch (c) {
                case '\n' -> line.append("\\n");
                case '\r' -> line.append("\\r");
                case '\t' -> line.append("\\t");
                default -> {
                    if (Character.isISOControl(c)) {
                        line.append(String.format("\\u%04x", c));
                    } else {
                        line.appendCodePoint(c);
                    }
                }
            }
        });
        return line.toString();
    }

    private static String commandPath(CommandLine commandLine) {
        StringBuilder path = new StringBuilder();
        for (CommandLine c = commandLine; c != null; c = c.getParent()) {
            path.insert(0, path.isEmpty() ? c.getCommandName() : c.getCommandName() + " ");
        }
        return path.toString();
    }
}
