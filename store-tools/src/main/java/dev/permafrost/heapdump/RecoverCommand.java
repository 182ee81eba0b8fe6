package dev.permafrost.heapdump;

import dev.permafrost.store.RecoveryReport;
import dev.permafrost.store.Store;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code recover FILE}: brings a store whose owner died back to its last commit ({@link Store#recover}). */
@Command(name = "recover", mixinStandardHelpOptions = true,
        description = {"Brings a store whose owner died back to its last commit, so that it opens again.",
                "Keeps every object the commit describes, drops what was written after it, rebuilds the free",
                "lists and counts, and commits the store clean; refuses (and changes nothing) if the commit is",
                "damaged, saying what would be lost. A frozen or cleanly closed store is left as it is.",
                "Exit 0 recovered or nothing to do, 2 refused or unreadable."})
final class RecoverCommand extends StoreCommand {
    @Parameters(index = "0", paramLabel = "FILE", description = "The store file.")
    Path file;

    @Override
    public Integer call() {
        RecoveryReport report = Store.recover(file);
        if (common.json) {
            printJson(startJson(file).field("recovered", report.recovered()).field("generation", report.generation())
                    .field("objects_kept", report.objectsKept()).field("objects_restored", report.objectsRestored())
                    .field("unreachable_objects", report.unreachableObjects()).field("bytes_reclaimed", report.bytesReclaimed())
                    .field("dropped_beyond_commit", report.droppedBeyondCommit()).endObject());
        } else {
            out().println(report.summary());
            out().flush();
        }
        return HeapDump.OK;
    }
}
