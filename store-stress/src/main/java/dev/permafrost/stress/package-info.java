/**
 * Concurrency proofs with jcstress: each test races two actors over the public API of the store
 * ({@code dev.permafrost.store}) or the cache ({@code dev.permafrost.cache}) and names the
 * outcomes it accepts and, in every test, at least one it forbids.
 *
 * <ul>
 *   <li>{@link dev.permafrost.stress.RetainReleaseTest}: retains and releases from two threads
 *       leave the exact count.</li>
 *   <li>{@link dev.permafrost.stress.LastReleaseAgainstTryRetainTest}: a lookup's
 *       {@code tryRetain} never revives an object whose last reference is being dropped, and the
 *       object is freed at most once.</li>
 *   <li>{@link dev.permafrost.stress.ReleaseAgainstReaderTest}: a reader that holds a reference
 *       (or takes one with {@code tryRetain}) reads the payload intact while another thread
 *       releases.</li>
 *   <li>{@link dev.permafrost.stress.FreezeTest}: an object retained, released or dropped while
 *       its store freezes ends immortal or free, never mortal in a frozen store.</li>
 *   <li>{@link dev.permafrost.stress.AllocateFreeTest}: no block is handed out twice by
 *       concurrent allocations and frees.</li>
 *   <li>{@link dev.permafrost.stress.CacheOverlayTest} and
 *       {@link dev.permafrost.stress.CacheSwapTest}: a {@code CacheEntry} stays valid while the
 *       overlay evicts or replaces its entry, and while {@code refresh} swaps to a new version.</li>
 * </ul>
 *
 * <p>Thread rules: as jcstress runs them. A test class's states share one store (a static of the
 * class: states are many, stores cost a file each), and allocate fresh objects per state; a
 * state's arbiter frees them, and reads only objects its state still holds, since jcstress runs
 * arbiters while other states are being built on the same store. Tests whose race is the
 * store's or the cache's lifecycle (freeze, a swap) give each state its own, deleted by its
 * arbiter ({@link dev.permafrost.stress.StressFiles}).
 *
 * <p>Run them with {@code scripts/stress [--quick]}; {@code ./mvnw verify} compiles them, checks
 * that jcstress generated their list, and shows with a broken variant (test sources) that the
 * harness fails a test that breaks its contract, but does not run the suite.
 */
package dev.permafrost.stress;
