package dev.permafrost.fuzz;

import dev.permafrost.cache.CacheWriter;
import dev.permafrost.cache.Codecs;
import dev.permafrost.cache.SharedCache;
import dev.permafrost.layout.CommitSlotDescriptor;
import dev.permafrost.layout.CommitSlotDescriptor.CommitSlot;
import dev.permafrost.layout.HeapWalker;
import dev.permafrost.layout.StoreFormat;
import dev.permafrost.store.RecordType;
import dev.permafrost.store.Ref;
import dev.permafrost.store.Store;
import dev.permafrost.store.Types;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The valid files the fuzz tests damage: small stores written by the library, each with every
 * kind of object, freed blocks, roots and a type table, so that a few changed bytes reach deep
 * into the parsers. Built into a scratch directory (on {@code /dev/shm} where there is one:
 * every input writes a file) and kept as bytes.
 */
final class Seeds {
    /** Capacity of every seed store: small, so that writing one per input is cheap. */
    static final long CAPACITY_BYTES = 128 * 1024;

    /** A record with a component of every shape: primitives, inline, nested, {@link Ref}, arrays of records and strings. */
    record Everything(boolean flag, byte b, short s, char c, int i, long l, float f, double d, String text, byte[] bytes,
                      int[] ints, long[] longs, double[] doubles, String[] words, Inner inner, Inner[] inners, Ref<Inner> link) {
    }

    /** A small record, nested and referenced by {@link Everything}. */
    record Inner(String name, long value) {
    }

    /** A record that nests its own type: damage can make the chain a cycle. */
    record Chain(int depth, Chain next) {
    }

    /** The root names the typed seeds hold. */
    static final List<String> ROOT_NAMES = List.of("everything", "inner", "text", "longs", "inners", "chain");

    /**
     * One seed: the file's bytes and where its structures are, for damage aimed at them.
     *
     * @param name          what it is (a cache version's: its file name)
     * @param bytes         the whole file
     * @param committed     its newest commit
     * @param blockOffsets  every block of its heap (objects and free blocks), in address order
     */
    record Seed(String name, byte[] bytes, CommitSlot committed, long[] blockOffsets) {
    }

    private Seeds() {
    }

    /** {@return a new scratch directory, on {@code /dev/shm} if it is there} */
    static Path scratchDirectory() {
        try {
            Path shm = Path.of("/dev/shm");
            return Files.isDirectory(shm) && Files.isWritable(shm)
                    ? Files.createTempDirectory(shm, "permafrost-fuzz") : Files.createTempDirectory("permafrost-fuzz");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Removes a scratch directory and everything in it.
     *
     * @param dir the directory, or {@code null} (or one that does not exist): nothing to do
     */
    static void delete(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                p.toFile().setWritable(true);
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The store seeds: typed and cleanly closed, typed and frozen, and typed with its owner still
     * in it (a copy of the file taken after a commit, as a dead owner leaves it: what recovery reads).
     *
     * @param dir a scratch directory
     * @return the seeds, in that order
     */
    static List<Seed> stores(Path dir) {
        List<Seed> seeds = new ArrayList<>();
        seeds.add(typed(dir, "typed", Ending.CLOSE));
        seeds.add(typed(dir, "frozen", Ending.FREEZE));
        seeds.add(typed(dir, "unclean", Ending.DIE));
        return seeds;
    }

    /** How a typed seed's owner ends. */
    private enum Ending { CLOSE, FREEZE, DIE }

    private static Seed typed(Path dir, String name, Ending ending) {
        Path path = dir.resolve(name + ".pf");
        byte[] copy = null;
        try (Store store = Store.create(path, CAPACITY_BYTES)) {
            Types types = store.types();
            RecordType<Inner> inners = types.register(Inner.class, "Inner", MethodHandles.lookup());
            RecordType<Everything> everything = types.register(Everything.class, "Everything", MethodHandles.lookup());
            RecordType<Chain> chains = types.register(Chain.class, "Chain", MethodHandles.lookup());
            Ref<Inner> inner = inners.write(new Inner("inner", 7));
            Ref<Everything> all = everything.write(new Everything(true, (byte) -2, (short) 300, 'é', 1 << 20, -5L, 1.5f, Math.PI,
                    "text é東𝄞", new byte[] {1, 2, 3}, new int[] {4, 5}, new long[] {6}, new double[] {0.25},
                    new String[] {"a", null, "word"}, new Inner("nested", 8), new Inner[] {new Inner("x", 9), null}, inner));
            Ref<String> text = types.writeString("a root string");
            Ref<long[]> longs = types.writeArray(new long[] {1, 2, 3, 4, 5, 6, 7, 8});
            @SuppressWarnings("unchecked")
            Ref<Ref<Inner>[]> array = types.writeReferenceArray(inners, inner, null, inner);
            Ref<Chain> chain = chains.write(new Chain(0, new Chain(1, new Chain(2, null))));
            long raw = store.allocate(40);
            store.payload(raw).fill((byte) 0x5a);
            for (int i = 0; i < 12; i++) { // freed blocks of several size classes: free lists to follow
                long garbage = store.allocate(16L + 24 * i);
                if (i % 3 != 0) {
                    store.release(garbage);
                }
            }
            store.retain(all);
            types.adoptRoot("everything", all);
            types.setRoot("inner", inner);
            types.adoptRoot("text", text);
            types.adoptRoot("longs", longs);
            types.adoptRoot("inners", array);
            types.adoptRoot("chain", chain);
            store.commit();
            switch (ending) {
                case FREEZE -> store.freeze();
                case DIE -> copy = readAll(path);
                case CLOSE -> { }
            }
        }
        byte[] bytes = copy != null ? copy : readAll(path);
        return seed(dir, name, bytes);
    }

    /**
     * The cache seed: a directory's published version, a cache of strings to strings.
     *
     * @param dir a scratch directory
     * @return the version file's seed, named as the version file
     */
    static Seed cacheVersion(Path dir) {
        Path cacheDir = dir.resolve("cache-seed");
        try (CacheWriter<String, String> writer = SharedCache.writer(cacheDir, Codecs.string(), Codecs.string())) {
            for (int i = 0; i < 40; i++) {
                writer.put("key-" + i, "value-" + i + "-" + "x".repeat(i));
            }
            writer.publish();
        }
        try (Stream<Path> files = Files.list(cacheDir)) {
            Path version = files.filter(p -> p.getFileName().toString().endsWith(".pf")).findFirst().orElseThrow();
            return seed(dir, version.getFileName().toString(), readAll(version));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Seed seed(Path dir, String name, byte[] bytes) {
        MemorySegment file = MemorySegment.ofArray(bytes);
        CommitSlot a = CommitSlotDescriptor.decodeIfValid(file.asSlice(StoreFormat.COMMIT_SLOT_0_OFFSET, CommitSlotDescriptor.LENGTH));
        CommitSlot b = CommitSlotDescriptor.decodeIfValid(file.asSlice(StoreFormat.COMMIT_SLOT_1_OFFSET, CommitSlotDescriptor.LENGTH));
        CommitSlot committed = CommitSlotDescriptor.newest(a, b);
        List<Long> blocks = new ArrayList<>();
        HeapWalker.walk(file, StoreFormat.HEAP_START_OFFSET, committed.bumpOffset(), dir.resolve(name),
                (blockOffset, countWord, meta, blockBytes) -> blocks.add(blockOffset));
        return new Seed(name, bytes, committed, blocks.stream().mapToLong(Long::longValue).toArray());
    }

    /**
     * Reads a whole file.
     *
     * @param path the file
     * @return its bytes
     */
    static byte[] readAll(Path path) {
        try {
            return Files.readAllBytes(path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Writes a whole file, replacing it.
     *
     * @param path  the file
     * @param bytes its bytes
     */
    static void writeAll(Path path, byte[] bytes) {
        try {
            path.toFile().setWritable(true);
            Files.write(path, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
