package dev.permafrost.store;

import java.nio.file.Path;

/**
 * What {@link Store#recover} did.
 *
 * @param file                the store file
 * @param recovered           whether the store was changed: {@code false} if it was frozen or
 *                            closed cleanly, and there was nothing to recover
 * @param generation          the commit generation the store is at now (the recovered commit,
 *                            written clean), or the one it was found at if nothing was done
 * @param objectsKept         live objects of the recovered commit
 * @param objectsRestored     objects the commit describes as live (reachable from its roots)
 *                            that its owner freed after the commit, brought back
 * @param unreachableObjects  typed objects of a store with roots that no root reaches, freed:
 *                            written after the commit into blocks the commit had free, or held
 *                            only by the dead owner (nothing can release them); raw objects no
 *                            root reaches are kept, and counted in {@code objectsKept}
 * @param bytesReclaimed      block bytes made reusable that the commit had not on its free lists
 *                            (blocks freed after it), plus the bytes above its bump offset cleared
 * @param droppedBeyondCommit whether anything written after the commit above its bump offset
 *                            (objects allocated later) was dropped
 */
public record RecoveryReport(Path file, boolean recovered, long generation, long objectsKept, long objectsRestored,
                             long unreachableObjects, long bytesReclaimed, boolean droppedBeyondCommit) {
    /** {@return one line saying what was done, for logs and the CLI} */
    public String summary() {
        if (!recovered) {
            return file + ": nothing to recover (commit generation " + generation + " is clean)";
        }
        return String.format("%s: recovered to commit generation %d: %,d objects kept (%,d restored), %,d unreachable freed,"
                        + " %,d bytes reclaimed, %s", file, generation, objectsKept, objectsRestored, unreachableObjects,
                bytesReclaimed, droppedBeyondCommit ? "objects written after the commit dropped" : "nothing after the commit dropped");
    }
}
