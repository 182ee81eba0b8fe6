/**
 * The overlay's eviction policies: which of this worker's own cache entries to evict when the
 * overlay holds more than its capacity ({@code maximumSize} entries, or {@code maximumWeight}
 * weight units). Internal: not exported; the overlay in {@code dev.permafrost.cache} is the only
 * user, and the trace replay of the {@code jmh} module reaches it from the class path.
 *
 * <p>{@link dev.permafrost.cache.policy.EvictionPolicy} is the contract;
 * {@link dev.permafrost.cache.policy.S3FifoPolicy} is the overlay's policy (S3-FIFO: a small
 * FIFO, a main FIFO with CLOCK-like reinsertion, a ghost FIFO of keys evicted from the small
 * one) and {@link dev.permafrost.cache.policy.LruPolicy} is there to compare against. Each
 * resident key has a {@link dev.permafrost.cache.policy.PolicyEntry}, which the overlay keeps
 * beside its own entry and hands back on every hit.
 *
 * <p>Thread rules: every method may be called from any thread. The hot path is
 * {@link dev.permafrost.cache.policy.EvictionPolicy#onAccess onAccess} (a hit): in S3-FIFO it
 * takes no lock and writes nothing shared by other entries, only the entry's own frequency
 * counter, capped at {@value dev.permafrost.cache.policy.PolicyEntry#MAXIMUM_FREQUENCY} (with
 * opaque reads and writes: a racing hit may be lost, which costs at most one unit of
 * frequency, never the queues' consistency), and nothing at all once the counter is at its
 * cap. Structural changes ({@code onAdmit}, {@code onRemove}, the evictions they cause) run
 * under the policy's lock; the queues' links are only read and written under it. LRU's
 * {@code onAccess} moves the entry in its list and so takes the lock: LRU is a baseline, not a
 * policy for concurrent readers.
 */
package dev.permafrost.cache.policy;
