package dev.permafrost.cache.policy;

import java.util.LinkedHashMap;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * S3-FIFO (Yang et al., SOSP 2023) as its authors' code configures it, with weights: a small
 * FIFO of about 10% of the capacity that new keys enter, a main FIFO of the rest, and a ghost
 * FIFO of the keys last evicted from the small one, as heavy as the main one.
 *
 * <ul>
 *   <li>A hit increments the entry's frequency, capped at {@value PolicyEntry#MAXIMUM_FREQUENCY}:
 *       no lock, no queue change, nothing written once at the cap.
 *   <li>A new key enters the small queue, or the main queue if the ghost remembers it (a ghost
 *       hit: it was evicted from the small queue not long ago, so it is re-used).
 *   <li>Eviction from the small queue takes its oldest entry: with at least
 *       {@link Settings#promotionHits()} hits it moves to the main queue with its frequency
 *       cleared, otherwise it is evicted and its key enters the ghost.
 *   <li>Eviction from the main queue is CLOCK-like: its oldest entry, if it has been hit since it
 *       was last looked at, goes back to the tail with its frequency decremented; otherwise it
 *       is evicted.
 *   <li>The main queue is evicted from while it is over its share, or the small queue is
 *       empty; the small queue otherwise.
 * </ul>
 *
 * <p>Capacities are in weight units: the small queue's share is
 * {@code floor(capacity * smallQueueFraction)}, the main queue's the rest, the ghost's
 * {@code floor(capacity * ghostFraction)}; the small queue may borrow what the main queue leaves
 * unused. Thread rules: see the package documentation.
 *
 * @param <K> the type of keys
 */
public final class S3FifoPolicy<K> implements EvictionPolicy<K> {

    /**
     * S3-FIFO's tuning.
     *
     * @param smallQueueFraction the small queue's share of the capacity, in (0, 1)
     * @param promotionHits the hits in the small queue that promote an entry to the main queue,
     *     1 to {@value PolicyEntry#MAXIMUM_FREQUENCY}
     * @param ghostFraction the ghost's weight as a fraction of the capacity, at least 0
     */
    public record Settings(double smallQueueFraction, int promotionHits, double ghostFraction) {

        /** The authors' configuration: a 10% small queue, two hits to promote, a ghost as heavy as the main queue. */
        public static final Settings AUTHORS = new Settings(0.10, 2, 0.90);

        /**
         * Validates the tuning.
         *
         * @throws IllegalArgumentException if a value is out of its range
         */
        public Settings {
            if (!(smallQueueFraction > 0 && smallQueueFraction < 1)) {
                throw new IllegalArgumentException("smallQueueFraction: expected in (0, 1), found " + smallQueueFraction);
            }
            if (promotionHits < 1 || promotionHits > PolicyEntry.MAXIMUM_FREQUENCY) {
                throw new IllegalArgumentException("promotionHits: expected 1 to " + PolicyEntry.MAXIMUM_FREQUENCY
                        + ", found " + promotionHits);
            }
            if (!(ghostFraction >= 0) || Double.isInfinite(ghostFraction)) {
                throw new IllegalArgumentException("ghostFraction: expected at least 0, found " + ghostFraction);
            }
        }
    }

    private final long capacity;
    private final long mainCapacity;
    private final long ghostCapacity;
    private final int promotionHits;

    private final ReentrantLock lock = new ReentrantLock();
    /** New keys; under {@link #lock}. */
    private final EntryQueue<K> small = new EntryQueue<>(PolicyEntry.SMALL);
    /** Promoted keys and ghost hits; under {@link #lock}. */
    private final EntryQueue<K> main = new EntryQueue<>(PolicyEntry.MAIN);
    /** Keys evicted from {@link #small}, oldest first, with their weights; under {@link #lock}. */
    private final LinkedHashMap<K, Long> ghost = new LinkedHashMap<>();
    /** The total weight of {@link #ghost}; under {@link #lock}. */
    private long ghostWeight;

    /**
     * An S3-FIFO policy with the authors' configuration ({@link Settings#AUTHORS}).
     *
     * @param capacity the bound on the resident entries' total weight, in weight units; at least 1
     * @throws IllegalArgumentException if {@code capacity} is below 1
     */
    public S3FifoPolicy(long capacity) {
        this(capacity, Settings.AUTHORS);
    }

    /**
     * An S3-FIFO policy.
     *
     * @param capacity the bound on the resident entries' total weight, in weight units; at least 1
     * @param settings the tuning
     * @throws IllegalArgumentException if {@code capacity} is below 1
     */
    public S3FifoPolicy(long capacity, Settings settings) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity: expected at least 1, found " + capacity);
        }
        this.capacity = capacity;
        long smallCapacity = (long) (capacity * settings.smallQueueFraction());
        this.mainCapacity = capacity - smallCapacity;
        this.ghostCapacity = (long) (capacity * settings.ghostFraction());
        this.promotionHits = settings.promotionHits();
    }

    @Override
    public PolicyEntry<K> onAdmit(K key, long weight, Consumer<? super PolicyEntry<K>> victims) {
        Objects.requireNonNull(key, "key");
        if (weight < 0) {
            throw new IllegalArgumentException("weight: expected at least 0, found " + weight);
        }
        PolicyEntry<K> entry = new PolicyEntry<>(key, weight);
        lock.lock();
        try {
            if (weight > capacity) {
                victims.accept(entry);
                return entry;
            }
            Long remembered = ghost.remove(key);
            if (remembered != null) {
                ghostWeight -= remembered;
            }
            while (small.weight() + main.weight() + weight > capacity) {
                if (main.weight() > mainCapacity || small.isEmpty()) {
                    evictFromMain(victims);
                } else {
                    evictFromSmall(victims);
                }
            }
            (remembered != null ? main : small).addLast(entry);
            return entry;
        } finally {
            lock.unlock();
        }
    }

    /** Evicts the oldest entry of the small queue without enough hits, promoting those before it; under {@link #lock}. */
    private void evictFromSmall(Consumer<? super PolicyEntry<K>> victims) {
        PolicyEntry<K> entry;
        while ((entry = small.pollFirst()) != null) {
            if (entry.frequency() >= promotionHits) {
                entry.setFrequencyOpaque(0);
                main.addLast(entry);
            } else {
                remember(entry);
                victims.accept(entry);
                return;
            }
        }
    }

    /** Evicts the first entry of the main queue not hit since its last pass; under {@link #lock}. */
    private void evictFromMain(Consumer<? super PolicyEntry<K>> victims) {
        PolicyEntry<K> entry;
        while ((entry = main.pollFirst()) != null) {
            int frequency = entry.frequency();
            if (frequency > 0) {
                entry.setFrequencyOpaque(frequency - 1);
                main.addLast(entry);
            } else {
                victims.accept(entry);
                return;
            }
        }
    }

    /** Puts an entry evicted from the small queue into the ghost, forgetting the oldest ghosts beyond its capacity; under {@link #lock}. */
    private void remember(PolicyEntry<K> entry) {
        if (entry.weight() > ghostCapacity) {
            return;
        }
        ghost.put(entry.key(), entry.weight());
        ghostWeight += entry.weight();
        var oldest = ghost.entrySet().iterator();
        while (ghostWeight > ghostCapacity) {
            ghostWeight -= oldest.next().getValue();
            oldest.remove();
        }
    }

    @Override
    public void onAccess(PolicyEntry<K> entry) {
        entry.incrementFrequencyOpaque();
    }

    @Override
    public boolean onRemove(PolicyEntry<K> entry) {
        lock.lock();
        try {
            switch (entry.queue) {
                case PolicyEntry.SMALL -> small.remove(entry);
                case PolicyEntry.MAIN -> main.remove(entry);
                default -> {
                    return false;
                }
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean isResident(PolicyEntry<K> entry) {
        lock.lock();
        try {
            return entry.queue == PolicyEntry.SMALL || entry.queue == PolicyEntry.MAIN;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Whether an entry is in the main queue (promoted, or admitted on a ghost hit).
     *
     * @param entry an entry this policy admitted
     * @return {@code true} if resident in the main queue
     */
    public boolean isInMainQueue(PolicyEntry<K> entry) {
        lock.lock();
        try {
            return entry.queue == PolicyEntry.MAIN;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Whether the ghost remembers a key: evicted from the small queue recently, and not admitted since.
     *
     * @param key a key
     * @return {@code true} if its next admission goes straight to the main queue
     */
    public boolean isGhost(K key) {
        lock.lock();
        try {
            return ghost.containsKey(key);
        } finally {
            lock.unlock();
        }
    }

    /**
     * The ghost's total weight; never above {@code capacity * ghostFraction}.
     *
     * @return the weight of the keys the ghost remembers, in weight units
     */
    public long ghostWeight() {
        lock.lock();
        try {
            return ghostWeight;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public long capacity() {
        return capacity;
    }

    @Override
    public long weightedSize() {
        lock.lock();
        try {
            return small.weight() + main.weight();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public long residentCount() {
        lock.lock();
        try {
            return small.count() + main.count();
        } finally {
            lock.unlock();
        }
    }
}
