package dev.permafrost.heapdump;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * What every command shares: the common options, stdout and stderr, and the exit codes
 * ({@link HeapDump#OK}, {@link HeapDump#FINDINGS}, {@link HeapDump#BAD_INPUT}).
 */
abstract class StoreCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Spec
    CommandSpec spec;

    /** {@return stdout} */
    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    /** {@return stderr} */
    PrintWriter err() {
        return spec.commandLine().getErr();
    }

    /** {@return a progress bar factory bound to stderr, silent unless stderr is a terminal} */
    Progress progress(String label, long totalBytes) {
        return HeapDump.terminalProgress() ? Progress.of(System.err, label, totalBytes) : Progress.NONE;
    }

    /**
     * Prints a JSON document as the command's whole output.
     *
     * @param json the document
     */
    void printJson(Json json) {
        out().println(json);
        out().flush();
    }

    /**
     * Starts the JSON document of a command: the top-level {@code "command"} and {@code "file"}.
     *
     * @param file the store file, or {@code null}
     * @return the writer, inside the top-level object
     */
    Json startJson(Path file) {
        Json json = new Json().beginObject().field("command", spec.name());
        if (file != null) {
            json.field("file", file.toString());
        }
        return json;
    }
}
