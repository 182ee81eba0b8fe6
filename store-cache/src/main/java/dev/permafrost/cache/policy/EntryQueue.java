package dev.permafrost.cache.policy;

/**
 * An intrusive doubly linked FIFO of {@link PolicyEntry}s with their total weight: O(1) append,
 * poll and unlink. Not thread-safe: used under the owning policy's lock.
 *
 * @param <K> the type of keys
 */
final class EntryQueue<K> {

    private final byte tag;
    private PolicyEntry<K> head;
    private PolicyEntry<K> tail;
    private long weight;
    private long count;

    /** @param tag the value of {@link PolicyEntry#queue} for entries in this queue */
    EntryQueue(byte tag) {
        this.tag = tag;
    }

    boolean isEmpty() {
        return head == null;
    }

    /** @return the entries' total weight, in weight units */
    long weight() {
        return weight;
    }

    long count() {
        return count;
    }

    /** @return the oldest entry, or {@code null} when empty */
    PolicyEntry<K> peekFirst() {
        return head;
    }

    /** Appends an entry that is in no queue. */
    void addLast(PolicyEntry<K> entry) {
        assert entry.queue == PolicyEntry.NOWHERE : entry;
        entry.queue = tag;
        entry.previous = tail;
        entry.next = null;
        if (tail == null) {
            head = entry;
        } else {
            tail.next = entry;
        }
        tail = entry;
        weight += entry.weight();
        count++;
    }

    /** @return the oldest entry, unlinked (its queue {@link PolicyEntry#NOWHERE}), or {@code null} when empty */
    PolicyEntry<K> pollFirst() {
        PolicyEntry<K> entry = head;
        if (entry != null) {
            remove(entry);
        }
        return entry;
    }

    /** Unlinks an entry of this queue. */
    void remove(PolicyEntry<K> entry) {
        assert entry.queue == tag : entry;
        PolicyEntry<K> previous = entry.previous;
        PolicyEntry<K> next = entry.next;
        if (previous == null) {
            head = next;
        } else {
            previous.next = next;
        }
        if (next == null) {
            tail = previous;
        } else {
            next.previous = previous;
        }
        entry.previous = null;
        entry.next = null;
        entry.queue = PolicyEntry.NOWHERE;
        weight -= entry.weight();
        count--;
    }

    /** Moves an entry of this queue to its tail. */
    void moveToLast(PolicyEntry<K> entry) {
        if (tail != entry) {
            remove(entry);
            addLast(entry);
        }
    }
}
