package dev.permafrost.cache.policy;

import java.util.function.Consumer;

/**
 * Decides which resident keys to evict to keep their total weight within {@link #capacity()}.
 *
 * <p>The policy only names victims: the caller (the overlay) unlinks and frees them, and a
 * victim may still be held by readers, which is the caller's business. The caller keeps the
 * {@link PolicyEntry} that {@link #onAdmit} returned beside its own entry, hands it to
 * {@link #onAccess} on every hit and to {@link #onRemove} when it invalidates or replaces the
 * key. A replaced key is {@code onRemove} of the old entry then {@code onAdmit} of the new.
 *
 * <p>Thread rules (see the package documentation): every method is safe from any thread;
 * {@code onAccess} is the hot path, and in a policy meant for concurrent readers writes
 * nothing but the entry's own state; {@code onAdmit} and {@code onRemove} are serialised by
 * the policy. The victims callback runs on the admitting thread while the policy holds its
 * lock: it must not call this policy, and should do no more than unlink the victim.
 *
 * @param <K> the type of keys
 */
public interface EvictionPolicy<K> {

    /**
     * Admits a key that has just been added to the cache, first evicting as many resident
     * entries as it takes to make room for it, each named to {@code victims} once, in the order
     * of eviction. An entry heavier than {@link #capacity()} is never resident: it is named to
     * {@code victims} itself, and nothing else is evicted for it.
     *
     * @param key the key; not resident already (a replaced key was {@link #onRemove removed})
     * @param weight the entry's weight, in the units of {@link #capacity()} (1 per entry for a
     *     cache bounded by entry count); not negative
     * @param victims told of every entry evicted by this call, under the policy's lock
     * @return the new key's entry, to hand to {@link #onAccess} and {@link #onRemove}
     * @throws IllegalArgumentException if {@code weight} is negative
     */
    PolicyEntry<K> onAdmit(K key, long weight, Consumer<? super PolicyEntry<K>> victims);

    /**
     * Records a hit on a resident entry. A hit on an entry evicted or removed meanwhile is
     * harmless and has no effect on which entries are resident.
     *
     * @param entry the entry that {@link #onAdmit} returned for the key
     */
    void onAccess(PolicyEntry<K> entry);

    /**
     * Forgets an entry the cache invalidated or replaced, without naming it as a victim.
     *
     * @param entry the entry that {@link #onAdmit} returned for the key
     * @return {@code true} if it was resident, {@code false} if it had been evicted or removed
     *     already (its victims callback then told of it, or an earlier removal did)
     */
    boolean onRemove(PolicyEntry<K> entry);

    /**
     * Whether an entry is resident: admitted, and neither evicted nor removed since.
     *
     * @param entry an entry that {@link #onAdmit} returned
     * @return whether the policy still holds it
     */
    boolean isResident(PolicyEntry<K> entry);

    /**
     * The bound on the resident entries' total weight.
     *
     * @return the capacity, in weight units (entries, when every weight is 1)
     */
    long capacity();

    /**
     * The resident entries' total weight; never above {@link #capacity()} between calls.
     *
     * @return the total weight, in weight units
     */
    long weightedSize();

    /**
     * The number of resident entries.
     *
     * @return the count of entries admitted and neither evicted nor removed
     */
    long residentCount();
}
