package dev.permafrost.jmh.refcount;

import dev.permafrost.jmh.Compared;

/**
 * The {@link Compared#operation} names of the {@code refcount} suite, one constant per row of its
 * table, so that Permafrost and every peer name a row with the same words. A row is also split by
 * thread count: {@link #IMMORTAL_ONE_OBJECT} and {@link #MORTAL_ONE_OBJECT} have a one-thread and a
 * two-thread row.
 */
final class RefCountOperations {
    /** Taking and dropping a reference to an object that is never freed, every thread on the same object. */
    static final String IMMORTAL_ONE_OBJECT = "retain+release, immortal, one object";
    /** The same with each thread on an object of its own (count words on separate cache lines). */
    static final String IMMORTAL_OBJECT_PER_THREAD = "retain+release, immortal, an object per thread";
    /** Taking and dropping a reference to a counted object, every thread on the same object. */
    static final String MORTAL_ONE_OBJECT = "retain+release, mortal, one object";
    /** The same with each thread on an object of its own (count words on separate cache lines). */
    static final String MORTAL_OBJECT_PER_THREAD = "retain+release, mortal, an object per thread";
    /** {@link RefCountCostBenchmark}: the immortal path taken apart, one ingredient per column. */
    static final String IMMORTAL_COST = "retain+release, immortal, taken apart";
    /** {@link RefCountCostBenchmark}: the mortal path taken apart, one ingredient per column. */
    static final String MORTAL_COST = "retain+release, mortal, taken apart";

    /** Subject of the plain read of a count word, the immortal rows' baseline. */
    static final String PLAIN_READ = "plain read";
    /** Subject of {@link java.util.concurrent.atomic.AtomicLong} increment+decrement, the mortal rows' baseline. */
    static final String ATOMIC_LONG = "AtomicLong";
    /** Subject of Netty's {@code ByteBuf} retain/release. */
    static final String NETTY = "Netty";
    /** Subject of Netty's {@code Unpooled.unreleasableBuffer}, whose retain and release change nothing. */
    static final String NETTY_UNRELEASABLE = "Netty unreleasableBuffer";
    /** Subject of Chronicle Bytes' reserve/release. */
    static final String CHRONICLE_BYTES = "Chronicle Bytes";
    /** Subject of Agrona's {@code AtomicBuffer.getAndAddLong}. */
    static final String AGRONA = "Agrona";

    private RefCountOperations() {
    }
}
