package dev.permafrost.memory;

import java.util.Arrays;

/**
 * The state of every page of an address range of one process, from {@code /proc/PID/pagemap}:
 * one 64-bit entry per page, of which this reads bit 63 (present), bit 62 (swapped), bit 61
 * (file page, or shared anonymous; clear on a page copied on write) and bit 56 (mapped by this
 * process only). The frame number bits are not used (they read as zero without
 * {@code CAP_SYS_ADMIN}).
 *
 * <p>Immutable once read.
 */
public final class PageMap {
    /** Bytes of a page: 4 KiB, as the store format assumes. */
    public static final int PAGE_BYTES = 4096;

    static final long PRESENT_BIT = 1L << 63;
    static final long SWAPPED_BIT = 1L << 62;
    static final long FILE_BIT = 1L << 61;
    static final long EXCLUSIVE_BIT = 1L << 56;

    private static final PageState[] STATES = PageState.values();

    private final long pid;
    private final long startAddress;
    private final byte[] states;
    private final int exclusiveFilePages;
    private final int[] counts = new int[STATES.length];

    PageMap(long pid, long startAddress, byte[] states, int exclusiveFilePages) {
        this.pid = pid;
        this.startAddress = startAddress;
        this.states = states;
        this.exclusiveFilePages = exclusiveFilePages;
        for (byte state : states) {
            counts[state]++;
        }
    }

    /**
     * Classifies one pagemap entry.
     *
     * @param entry the 64-bit entry
     * @return the page's state
     */
    static PageState classify(long entry) {
        if ((entry & (PRESENT_BIT | SWAPPED_BIT)) == 0) {
            return PageState.ABSENT;
        }
        return (entry & FILE_BIT) != 0 && (entry & SWAPPED_BIT) == 0 ? PageState.FILE : PageState.COPIED;
    }

    /**
     * Returns this map with every page outside the given address ranges marked absent.
     *
     * @param ranges {@code [start, end)} address pairs, page-aligned
     * @return a new map of the same pages
     */
    PageMap onlyWithin(java.util.List<long[]> ranges) {
        byte[] kept = new byte[states.length];
        java.util.Arrays.fill(kept, (byte) PageState.ABSENT.ordinal());
        for (long[] range : ranges) {
            int from = (int) Math.max(0, (range[0] - startAddress) / PAGE_BYTES);
            int to = (int) Math.min(states.length, (range[1] - startAddress + PAGE_BYTES - 1) / PAGE_BYTES);
            System.arraycopy(states, from, kept, from, Math.max(0, to - from));
        }
        return new PageMap(pid, startAddress, kept, exclusiveFilePages);
    }

    /** {@return the process} */
    public long pid() {
        return pid;
    }

    /** {@return the address of the first page} */
    public long startAddress() {
        return startAddress;
    }

    /** {@return how many pages the range holds} */
    public int pageCount() {
        return states.length;
    }

    /**
     * Returns the state of one page.
     *
     * @param pageIndex pages from the start of the range
     * @return its state
     */
    public PageState state(int pageIndex) {
        return STATES[states[pageIndex]];
    }

    /**
     * Returns how many pages are in a state.
     *
     * @param state the state
     * @return the number of pages in it
     */
    public int count(PageState state) {
        return counts[state.ordinal()];
    }

    /** {@return pages present and backed by the file that no other process maps (bit 56)} */
    public int exclusiveFilePages() {
        return exclusiveFilePages;
    }

    /** {@return bytes copied on write: {@link PageState#COPIED} pages times the page size} */
    public long copiedBytes() {
        return (long) count(PageState.COPIED) * PAGE_BYTES;
    }

    /**
     * Returns the index of the first page in a state at or after a page, or -1.
     *
     * @param state     the state looked for
     * @param fromIndex the first page index to look at
     * @return the index of the first such page, or -1 if there is none
     */
    public int next(PageState state, int fromIndex) {
        for (int i = Math.max(0, fromIndex); i < states.length; i++) {
            if (states[i] == state.ordinal()) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public String toString() {
        return "PageMap[pid " + pid + ", 0x" + Long.toHexString(startAddress) + ", " + states.length + " pages: "
                + Arrays.stream(STATES).map(s -> s + "=" + count(s)).toList() + ", exclusive file pages=" + exclusiveFilePages + "]";
    }
}
