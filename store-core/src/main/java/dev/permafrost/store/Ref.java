package dev.permafrost.store;

/**
 * A reference to a stored object, as a record component: the field holds the object's offset
 * and counts as a reference to it. Writing a record retains the object a {@code Ref} names
 * (the caller keeps its own reference); reading a record back gives a {@code Ref} without
 * decoding the target, so a chain of any length reads one link at a time.
 *
 * <pre>{@code
 * record Node(int value, Ref<Node> next) {}
 * long tail = nodes.write(new Node(2, null));
 * long head = nodes.write(new Node(1, Ref.to(tail)));   // tail now has two references
 * }</pre>
 *
 * @param offset the object's offset, bytes from the start of the store file; never 0 (a null
 *               reference is a {@code null} {@code Ref})
 * @param <T>    the target's Java type: a registered record class, {@code String}, a primitive
 *               array class, or {@code ?} for any object
 */
public record Ref<T>(long offset) {
    /**
     * Checks the offset.
     *
     * @throws IllegalArgumentException if the offset is not a positive multiple of 16
     */
    public Ref {
        if (offset <= 0 || (offset & 15) != 0) {
            throw new IllegalArgumentException("offset 0x" + Long.toHexString(offset)
                    + " is not an object offset (a positive multiple of 16)");
        }
    }

    /**
     * Returns a reference to the object at that offset.
     *
     * @param offset the object's offset, bytes from the start of the store file
     * @param <T>    the target's Java type
     * @return a reference to it
     */
    public static <T> Ref<T> to(long offset) {
        return new Ref<>(offset);
    }
}
