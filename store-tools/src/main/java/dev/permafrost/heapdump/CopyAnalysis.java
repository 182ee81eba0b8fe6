package dev.permafrost.heapdump;

import static dev.permafrost.layout.StoreFormat.LONG;

import dev.permafrost.layout.ObjectHeaderDescriptor;
import dev.permafrost.layout.StoreFormat;
import dev.permafrost.memory.PageMap;
import dev.permafrost.memory.PageState;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which pages of a store a process copied, and whose writes copied them.
 *
 * <p>Two ways to attribute a copied page, tried in this order:
 * <ol>
 *   <li><b>memory</b>: read the process's view of the page from {@code /proc/PID/mem} and
 *       compare it with the file, word by word; each differing word belongs to one object (its
 *       count word, its meta word or its payload). Needs the right to read the process's
 *       memory (same user, and ptrace allowed).</li>
 *   <li><b>headers</b>: when the memory may not be read, or the page is identical to the file
 *       (a count raised and lowered again, a failed CAS: the write copied the page but left the
 *       bytes as they were), the page goes to the objects whose headers lie in it, since
 *       reference-count writes go to headers; a page holding no header goes to the object
 *       that covers it.</li>
 * </ol>
 * Pages outside the heap get pseudo-types: the superblock, the commit slots, free blocks, and
 * memory above the committed bump offset (the process's own objects in an unfrozen store).
 *
 * <p>Cost: one pass over the headers up to the last copied page (none if nothing was copied),
 * plus one 4 KiB read per copied page.
 */
final class CopyAnalysis {
    /** Pseudo-type of page 0. */
    static final String SUPERBLOCK = "(superblock)";
    /** Pseudo-type of pages 1 and 2. */
    static final String COMMIT_SLOTS = "(commit slots)";
    /** Pseudo-type of free blocks. */
    static final String FREE = "(free blocks)";
    /** Pseudo-type of pages above the bump offset. */
    static final String ABOVE_BUMP = "(above the bump offset: the process's own objects)";

    /** Page state: never touched. */
    static final byte ABSENT = 0;
    /** Present and shared with the page cache. */
    static final byte SHARED = 1;
    /** Copied on write. */
    static final byte COPIED = 2;

    /** Copied pages and objects of one type. */
    static final class TypeRow {
        final String type;
        final int index;
        long copiedPages;
        long objects;

        TypeRow(String type, int index) {
            this.type = type;
            this.index = index;
        }
    }

    /** One object whose writes copied pages. */
    static final class ObjectRow {
        final long offset;
        final String type;
        long copiedPages;
        long changedBytes;
        boolean countChanged;
        boolean metaChanged;
        boolean payloadChanged;

        ObjectRow(long offset, String type) {
            this.offset = offset;
            this.type = type;
        }
    }

    private final StoreImage image;
    private final Tables tables;
    private final byte[] states;
    private final int[] pageType;
    private final Map<String, TypeRow> types = new LinkedHashMap<>();
    private final Map<Long, ObjectRow> objects = new HashMap<>();
    private long absent;
    private long shared;
    private long copied;
    private long pagesByMemory;
    private long pagesByHeaders;
    private boolean memoryReadable;
    private String memoryProblem;

    // blocks overlapping copied pages, in address order
    private long[] blockStarts = new long[64];
    private long[] blockMetas = new long[64];
    private long[] blockCounts = new long[64];
    private int blocks;

    private CopyAnalysis(StoreImage image, Tables tables, int pageCount) {
        this.image = image;
        this.tables = tables;
        this.states = new byte[pageCount];
        this.pageType = new int[pageCount];
        Arrays.fill(pageType, -1);
    }

    /**
     * Analyses a process's mapping of a store.
     *
     * @param image    the store file
     * @param tables   its tables, for type names
     * @param pages    the mapping's page states, page 0 at file offset 0
     * @param pid      the process
     * @param useMemory whether to compare the process's memory with the file (else headers only)
     * @param progress told how far the header walk is
     * @return the analysis
     */
    static CopyAnalysis of(StoreImage image, Tables tables, PageMap pages, long pid, boolean useMemory, Progress progress) {
        CopyAnalysis a = new CopyAnalysis(image, tables, pages.pageCount());
        BitSet copiedPages = new BitSet(pages.pageCount());
        for (int p = 0; p < pages.pageCount(); p++) {
            PageState s = pages.state(p);
            a.states[p] = switch (s) {
                case ABSENT -> ABSENT;
                case FILE -> SHARED;
                case COPIED -> COPIED;
            };
            switch (s) {
                case ABSENT -> a.absent++;
                case FILE -> a.shared++;
                case COPIED -> {
                    a.copied++;
                    copiedPages.set(p);
                }
            }
        }
        if (a.copied > 0) {
            a.collectBlocks(copiedPages, progress);
            a.attribute(copiedPages, pages.startAddress(), pid, useMemory);
        }
        return a;
    }

    private void collectBlocks(BitSet copiedPages, Progress progress) {
        int[] nextCopied = {copiedPages.nextSetBit(0)}; // the first copied page not yet passed
        HeapScan.walk(image, progress, (offset, count, meta, blockBytes) -> {
            int lastPage = (int) ((offset + blockBytes - 1) >>> 12);
            if (lastPage < nextCopied[0]) {
                return; // the common case: the block ends before the next copied page
            }
            int firstPage = (int) (offset >>> 12);
            if (firstPage > nextCopied[0]) {
                nextCopied[0] = copiedPages.nextSetBit(firstPage);
                if (nextCopied[0] < 0) {
                    throw HeapScan.STOP; // past the last copied page
                }
            }
            if (nextCopied[0] <= lastPage) {
                if (blocks == blockStarts.length) {
                    blockStarts = Arrays.copyOf(blockStarts, blocks * 2);
                    blockMetas = Arrays.copyOf(blockMetas, blocks * 2);
                    blockCounts = Arrays.copyOf(blockCounts, blocks * 2);
                }
                blockStarts[blocks] = offset;
                blockMetas[blocks] = meta;
                blockCounts[blocks] = count;
                blocks++;
            }
        });
    }

    private void attribute(BitSet copiedPages, long baseAddress, long pid, boolean useMemory) {
        Path memPath = Path.of("/proc", Long.toString(pid), "mem");
        FileChannel mem = null;
        if (!useMemory) {
            memoryProblem = "not read (--no-memory)";
        } else {
            try {
                mem = FileChannel.open(memPath, StandardOpenOption.READ);
                memoryReadable = true;
            } catch (IOException | SecurityException e) {
                memoryProblem = memPath + ": " + e.getMessage();
            }
        }
        ByteBuffer processPage = ByteBuffer.allocate(StoreFormat.PAGE_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer filePage = ByteBuffer.allocate(StoreFormat.PAGE_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        try {
            for (int p = copiedPages.nextSetBit(0); p >= 0; p = copiedPages.nextSetBit(p + 1)) {
                long pageOffset = (long) p * StoreFormat.PAGE_SIZE;
                boolean done = false;
                if (mem != null) {
                    try {
                        processPage.clear();
                        while (processPage.hasRemaining() && mem.read(processPage, baseAddress + pageOffset + processPage.position()) > 0) {
                            // read the whole page
                        }
                        if (processPage.position() == StoreFormat.PAGE_SIZE) {
                            done = byMemory(p, pageOffset, processPage, filePage);
                        }
                    } catch (IOException e) {
                        memoryReadable = false;
                        memoryProblem = memPath + ": " + e.getMessage();
                        closeQuietly(mem);
                        mem = null;
                    }
                }
                if (done) {
                    pagesByMemory++;
                } else {
                    byHeaders(p, pageOffset);
                    pagesByHeaders++;
                }
            }
        } finally {
            if (mem != null) {
                closeQuietly(mem);
            }
        }
        for (ObjectRow o : objects.values()) {
            types.get(o.type).objects++;
        }
    }

    /** Compares the process's page with the file's; false if no word differs. */
    private boolean byMemory(int page, long pageOffset, ByteBuffer processPage, ByteBuffer filePage) {
        MemorySegment file = filePage(pageOffset, filePage);
        Map<ObjectRow, long[]> changedInPage = new LinkedHashMap<>();
        String pseudo = null;
        long pseudoWords = 0;
        int cursor = firstBlockEndingAfter(pageOffset);
        for (int w = 0; w < StoreFormat.PAGE_SIZE; w += 8) {
            if (processPage.getLong(w) == file.get(LONG, w)) {
                continue;
            }
            long at = pageOffset + w;
            while (cursor < blocks && blockEnd(cursor) <= at) {
                cursor++;
            }
            if (cursor < blocks && blockStarts[cursor] <= at) {
                if (blockCounts[cursor] == ObjectHeaderDescriptor.FREE_COUNT) {
                    pseudo = FREE;
                    pseudoWords++;
                    continue;
                }
                ObjectRow row = object(cursor);
                long within = at - blockStarts[cursor];
                row.changedBytes += 8;
                if (within == ObjectHeaderDescriptor.REFERENCE_COUNT_OFFSET) {
                    row.countChanged = true;
                } else if (within == ObjectHeaderDescriptor.META_OFFSET) {
                    row.metaChanged = true;
                } else {
                    row.payloadChanged = true;
                }
                changedInPage.computeIfAbsent(row, r -> new long[1])[0]++;
            } else {
                pseudo = pseudoType(at);
                pseudoWords++;
            }
        }
        if (changedInPage.isEmpty() && pseudo == null) {
            return false;
        }
        ObjectRow top = null;
        long topWords = -1;
        for (Map.Entry<ObjectRow, long[]> e : changedInPage.entrySet()) {
            e.getKey().copiedPages++;
            if (e.getValue()[0] > topWords) {
                top = e.getKey();
                topWords = e.getValue()[0];
            }
        }
        assign(page, top != null && topWords >= pseudoWords ? top.type : pseudo);
        return true;
    }

    /** Gives the page to the objects whose headers lie in it, or to the object covering it. */
    private void byHeaders(int page, long pageOffset) {
        long pageEnd = pageOffset + StoreFormat.PAGE_SIZE;
        Map<String, long[]> typesInPage = new LinkedHashMap<>();
        int i = firstBlockEndingAfter(pageOffset);
        int covering = i < blocks && blockStarts[i] <= pageOffset ? i : -1;
        for (; i < blocks && blockStarts[i] < pageEnd; i++) {
            if (blockStarts[i] >= pageOffset && blockCounts[i] != ObjectHeaderDescriptor.FREE_COUNT) {
                ObjectRow row = object(i);
                row.copiedPages++;
                typesInPage.computeIfAbsent(row.type, t -> new long[1])[0]++;
            }
        }
        if (typesInPage.isEmpty()) {
            if (covering >= 0 && blockCounts[covering] != ObjectHeaderDescriptor.FREE_COUNT) {
                ObjectRow row = object(covering);
                row.copiedPages++;
                assign(page, row.type);
            } else {
                assign(page, covering >= 0 ? FREE : pseudoType(pageOffset));
            }
            return;
        }
        String top = null;
        long most = -1;
        for (Map.Entry<String, long[]> e : typesInPage.entrySet()) {
            if (e.getValue()[0] > most) {
                top = e.getKey();
                most = e.getValue()[0];
            }
        }
        assign(page, top);
    }

    private String pseudoType(long offset) {
        if (offset < StoreFormat.COMMIT_SLOT_0_OFFSET) {
            return SUPERBLOCK;
        }
        if (offset < StoreFormat.HEAP_START_OFFSET) {
            return COMMIT_SLOTS;
        }
        return offset >= image.bumpOffset() ? ABOVE_BUMP : FREE;
    }

    private void assign(int page, String type) {
        TypeRow row = types.computeIfAbsent(type, t -> new TypeRow(t, types.size()));
        row.copiedPages++;
        pageType[page] = row.index;
    }

    private ObjectRow object(int block) {
        return objects.computeIfAbsent(blockStarts[block], o -> {
            String type = tables.typeName(ObjectHeaderDescriptor.typeId(blockMetas[block]));
            types.computeIfAbsent(type, t -> new TypeRow(t, types.size()));
            return new ObjectRow(o, type);
        });
    }

    private long blockEnd(int block) {
        return blockStarts[block] + ObjectHeaderDescriptor.blockBytes(blockMetas[block]);
    }

    /** Index of the first collected block that ends after {@code offset}. */
    private int firstBlockEndingAfter(long offset) {
        int lo = 0;
        int hi = blocks;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (blockEnd(mid) <= offset) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    private MemorySegment filePage(long pageOffset, ByteBuffer buffer) {
        MemorySegment mapped = image.memory();
        if (pageOffset + StoreFormat.PAGE_SIZE <= mapped.byteSize()) {
            return mapped.asSlice(pageOffset, StoreFormat.PAGE_SIZE);
        }
        buffer.clear();
        int n = image.read(pageOffset, buffer);
        Arrays.fill(buffer.array(), Math.max(0, n), StoreFormat.PAGE_SIZE, (byte) 0);
        return MemorySegment.ofArray(buffer.array());
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            // read-only
        }
    }

    long pageCount() {
        return states.length;
    }

    long absent() {
        return absent;
    }

    long shared() {
        return shared;
    }

    long copied() {
        return copied;
    }

    long pagesByMemory() {
        return pagesByMemory;
    }

    long pagesByHeaders() {
        return pagesByHeaders;
    }

    boolean memoryReadable() {
        return memoryReadable;
    }

    String memoryProblem() {
        return memoryProblem;
    }

    /** {@return the state of each page: {@link #ABSENT}, {@link #SHARED} or {@link #COPIED}} */
    byte[] states() {
        return states;
    }

    /** {@return per page, the index of the type its copy is attributed to, or -1} */
    int[] pageTypes() {
        return pageType;
    }

    /** {@return the types, most copied pages first} */
    List<TypeRow> byType() {
        List<TypeRow> rows = new ArrayList<>(types.values());
        rows.removeIf(r -> r.copiedPages == 0 && r.objects == 0);
        rows.sort((a, b) -> Long.compare(b.copiedPages, a.copiedPages));
        return rows;
    }

    /** {@return every type row, indexed as {@link #pageTypes} indexes them} */
    List<TypeRow> typesByIndex() {
        return new ArrayList<>(types.values());
    }

    /** {@return the objects, most copied pages first, then most changed bytes} */
    List<ObjectRow> objects() {
        List<ObjectRow> rows = new ArrayList<>(objects.values());
        rows.sort((a, b) -> a.copiedPages != b.copiedPages ? Long.compare(b.copiedPages, a.copiedPages)
                : a.changedBytes != b.changedBytes ? Long.compare(b.changedBytes, a.changedBytes) : Long.compare(a.offset, b.offset));
        return rows;
    }
}
