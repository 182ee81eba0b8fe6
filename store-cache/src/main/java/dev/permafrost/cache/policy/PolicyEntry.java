package dev.permafrost.cache.policy;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A key's state in an {@link EvictionPolicy}: its weight, its place in the policy's queues and
 * its access frequency. The cache keeps it beside its own entry and hands it back on each hit.
 *
 * <p>Thread rules: {@link #key()} and {@link #weight()} are final. The frequency is read and
 * written with opaque access, by hits without any lock and by the policy under its lock; a hit
 * racing another may be lost. The queue links and {@code queue} are read and written only under
 * the owning policy's lock.
 *
 * @param <K> the type of keys
 */
public final class PolicyEntry<K> {

    /** The frequency counter's cap: a hit on an entry already at it writes nothing. */
    public static final int MAXIMUM_FREQUENCY = 3;

    /** Not in any queue: evicted, removed, or never resident. */
    static final byte NOWHERE = 0;
    /** In S3-FIFO's small queue. */
    static final byte SMALL = 1;
    /** In S3-FIFO's main queue. */
    static final byte MAIN = 2;
    /** In LRU's list. */
    static final byte LRU = 3;

    private static final VarHandle FREQUENCY;

    static {
        try {
            FREQUENCY = MethodHandles.lookup().findVarHandle(PolicyEntry.class, "frequency", byte.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final K key;
    private final long weight;

    /** Hits since admission, promotion or the last CLOCK pass, 0 to {@link #MAXIMUM_FREQUENCY}; opaque access only. */
    @SuppressWarnings("unused") // through FREQUENCY
    private byte frequency;

    /** Which queue holds the entry: {@link #NOWHERE}, {@link #SMALL}, {@link #MAIN} or {@link #LRU}; under the policy's lock. */
    byte queue;
    /** The neighbours in {@link #queue}, towards its head and its tail; under the policy's lock. */
    PolicyEntry<K> previous;
    PolicyEntry<K> next;

    PolicyEntry(K key, long weight) {
        this.key = key;
        this.weight = weight;
    }

    /**
     * The key this entry stands for.
     *
     * @return the key given to {@link EvictionPolicy#onAdmit}
     */
    public K key() {
        return key;
    }

    /**
     * The entry's weight.
     *
     * @return the weight given to {@link EvictionPolicy#onAdmit}, in the policy's weight units
     */
    public long weight() {
        return weight;
    }

    /**
     * The entry's access frequency as the policy sees it now.
     *
     * @return 0 to {@link #MAXIMUM_FREQUENCY}
     */
    public int frequency() {
        return (byte) FREQUENCY.getOpaque(this);
    }

    /** One more hit, up to the cap; a hit at the cap writes nothing (no lock, no shared write). */
    void incrementFrequencyOpaque() {
        byte current = (byte) FREQUENCY.getOpaque(this);
        if (current < MAXIMUM_FREQUENCY) {
            FREQUENCY.setOpaque(this, (byte) (current + 1));
        }
    }

    /**
     * Sets the frequency (under the policy's lock).
     *
     * @param value 0 to {@link #MAXIMUM_FREQUENCY}
     */
    void setFrequencyOpaque(int value) {
        FREQUENCY.setOpaque(this, (byte) value);
    }

    @Override
    public String toString() {
        return "PolicyEntry[key=" + key + ", weight=" + weight + ", frequency=" + frequency() + "]";
    }
}
