package dev.permafrost.store;

/** Receives live objects from {@link Store#forEachObject}, in address order. */
@FunctionalInterface
public interface ObjectVisitor {
    /**
     * Called once per live object.
     *
     * @param objectOffset bytes from the start of the file to the object's header
     * @param typeId       the object's type id
     * @param payloadBytes the payload's length
     * @param count        the reference-count word: the count, or negative if immortal
     */
    void visit(long objectOffset, int typeId, long payloadBytes, long count);
}
