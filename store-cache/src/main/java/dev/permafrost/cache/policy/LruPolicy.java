package dev.permafrost.cache.policy;

import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * Least recently used, with weights: a baseline to compare the overlay's policy with. Every hit
 * moves its entry to the list's tail under the lock, a global write per hit that S3-FIFO avoids.
 *
 * @param <K> the type of keys
 */
public final class LruPolicy<K> implements EvictionPolicy<K> {

    private final long capacity;
    private final ReentrantLock lock = new ReentrantLock();
    /** Least recently used first; under {@link #lock}. */
    private final EntryQueue<K> list = new EntryQueue<>(PolicyEntry.LRU);

    /**
     * An LRU policy.
     *
     * @param capacity the bound on the resident entries' total weight, in weight units; at least 1
     * @throws IllegalArgumentException if {@code capacity} is below 1
     */
    public LruPolicy(long capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity: expected at least 1, found " + capacity);
        }
        this.capacity = capacity;
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
            while (list.weight() + weight > capacity) {
                victims.accept(list.pollFirst());
            }
            list.addLast(entry);
            return entry;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void onAccess(PolicyEntry<K> entry) {
        lock.lock();
        try {
            if (entry.queue == PolicyEntry.LRU) {
                list.moveToLast(entry);
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean onRemove(PolicyEntry<K> entry) {
        lock.lock();
        try {
            if (entry.queue != PolicyEntry.LRU) {
                return false;
            }
            list.remove(entry);
            return true;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean isResident(PolicyEntry<K> entry) {
        lock.lock();
        try {
            return entry.queue == PolicyEntry.LRU;
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
            return list.weight();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public long residentCount() {
        lock.lock();
        try {
            return list.count();
        } finally {
            lock.unlock();
        }
    }
}
