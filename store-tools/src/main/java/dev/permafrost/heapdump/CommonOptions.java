package dev.permafrost.heapdump;

import picocli.CommandLine.Option;

/** Options every command takes. */
final class CommonOptions {
    @Option(names = "--json", description = "Print one JSON document on stdout (snake_case fields, a top-level \"command\").")
    boolean json;

    @Option(names = "--debug", description = "On an error, print the stack trace too.")
    boolean debug;
}
