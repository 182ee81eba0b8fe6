package dev.permafrost.demo;

import dev.permafrost.cache.CacheEntry;
import dev.permafrost.cache.CacheWriter;
import dev.permafrost.cache.Codec;
import dev.permafrost.cache.Codecs;
import dev.permafrost.cache.SharedCache;
import dev.permafrost.layout.ArrayDescriptor;
import dev.permafrost.layout.StoreFormat;
import dev.permafrost.store.DoubleField;
import dev.permafrost.store.IntField;
import dev.permafrost.store.RecordType;
import dev.permafrost.store.Ref;
import dev.permafrost.store.ReferenceField;
import dev.permafrost.store.Store;
import dev.permafrost.store.StringField;
import dev.permafrost.store.Types;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The demo's objects, built by the master and read by every worker: all building and reading
 * of the demo's data lives here, so only this class changes when the data model does.
 *
 * <p>The data set is {@link Customer} records (typed objects: ints, a double, a name stored
 * inline, and a counted reference to another customer, its friend), all reachable from the
 * root named {@value #ROOT}: a reference array of every customer. Workers find their way in
 * through that root, as any process would, and read fields with zero-copy accessors.
 *
 * <p>The same customers as a cache version ({@link #buildCache}): a {@link CacheWriter} keyed by
 * the customer's id as a string ({@link Codecs#string()}), whose values are the records
 * ({@link Codecs#record(Class, MethodHandles.Lookup)}); workers look every key up through a
 * {@link SharedCache} ({@link #touchAll(SharedCache, int)}) and read the fields in place through
 * the entry's object. Each cached customer's friend is the one put before it, referenced through
 * {@link CacheWriter#valueRef}, as in the plain store.
 *
 * <p>Thread rules: {@link #build} needs the store to itself; {@link #touchAll} may run on
 * any number of threads and processes at once.
 */
public final class DemoData {
    /** The root every worker starts from. */
    public static final String ROOT = "customers";
    /** Block bytes of one customer (header, fields, inline name, alignment), for sizing stores. */
    static final int RECORD_BLOCK_BYTES = 80;
    private static final int CATEGORIES = 97;

    /**
     * One customer of the demo's data set.
     *
     * @param id       its number
     * @param category one of 97 categories
     * @param score    a score
     * @param name     its name, stored inline in the object
     * @param friend   another customer, a counted reference (null for the first)
     */
    public record Customer(int id, int category, double score, String name, Ref<Customer> friend) {
    }

    /**
     * A published cache version of the customers.
     *
     * @param versionFile the version's store file, frozen
     * @param built       what readers must find
     */
    public record BuiltCache(Path versionFile, Built built) {
    }

    private DemoData() {
    }

    /** {@return the codec of the cache's values: the customer records, written as typed objects} */
    public static Codec<Customer> valueCodec() {
        return Codecs.record(Customer.class, MethodHandles.lookup());
    }

    /**
     * The cache key of a customer.
     *
     * @param id the customer's id
     * @return the id as a decimal string
     */
    public static String key(int id) {
        return Integer.toString(id);
    }

    /**
     * Builds the customers through a cache writer and publishes them: the directory's current
     * version, frozen.
     *
     * @param directory the cache directory (created if need be)
     * @param objects   how many customers
     * @return the version file and what readers must find
     */
    public static BuiltCache buildCache(Path directory, int objects) {
        try (CacheWriter<String, Customer> writer = SharedCache.writer(directory, Codecs.string(), valueCodec())) {
            long checksum = 0;
            for (int i = 0; i < objects; i++) {
                String name = "user-" + i + "@permafrost.dev";
                Ref<Customer> friend = i == 0 ? null : writer.valueRef(key(i - 1)); // the customer built before
                writer.put(key(i), new Customer(i, i % CATEGORIES, i * 0.5, name, friend));
                checksum += fieldSum(i, i % CATEGORIES, i * 0.5, name.length(), (byte) name.charAt(name.length() - 1), i - 1);
            }
            writer.publish();
            return new BuiltCache(writer.file(), new Built(0, objects, checksum, Files.size(writer.file())));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Opens the directory's current version the way a worker does, with statistics on.
     *
     * @param directory the cache directory
     * @return the cache; the caller closes it
     */
    public static SharedCache<String, Customer> openCache(Path directory) {
        return SharedCache.builder(Codecs.string(), valueCodec()).recordStats().open(directory);
    }

    /**
     * The first lookup of a worker on the cache: the first customer's entry, read and closed.
     *
     * @param cache the cache
     * @return the first customer's id
     */
    public static int firstLookup(SharedCache<String, Customer> cache) {
        try (CacheEntry<Customer> entry = cache.getEntry(key(0))) {
            return Readers.of(entry).id.get(entry.ref().offset());
        }
    }

    /**
     * Looks up every customer through the cache ({@code getEntry}), reads all its fields in
     * place through the entry's object and closes the entry: what a worker serving requests does.
     *
     * @param cache   the cache
     * @param objects how many customers to look up: keys 0 to objects - 1
     * @return how many customers were read, and a checksum of what was read
     * @throws IllegalStateException if a key is missing
     */
    public static Touched touchAll(SharedCache<String, Customer> cache, int objects) {
        Readers readers = null;
        long version = -1;
        long checksum = 0;
        for (int i = 0; i < objects; i++) {
            try (CacheEntry<Customer> entry = cache.getEntry(key(i))) {
                if (entry == null) {
                    throw new IllegalStateException("customer " + i + " is not in the cache " + cache);
                }
                if (entry.version() != version) { // accessors are bound to a version's store
                    readers = Readers.of(entry);
                    version = entry.version();
                }
                long customer = entry.ref().offset();
                String name = readers.name.get(customer);
                long friend = readers.friend.get(customer);
                int friendId = friend == 0 ? -1 : readers.id.get(friend);
                checksum += fieldSum(readers.id.get(customer), readers.category.get(customer), readers.score.get(customer),
                        name.length(), (byte) name.charAt(name.length() - 1), friendId);
            }
        }
        return new Touched(objects, checksum);
    }

    /**
     * What the master hands the workers, and what they must find.
     *
     * @param rootOffset the root object (the reference array of every customer); 0 for a cache version
     * @param objects    customers reachable from the root
     * @param checksum   what {@link #touchAll} returns over them
     * @param usedBytes  bytes of the store in use after building (page-aligned end of the last object; the
     *                   file's size for a cache version)
     */
    public record Built(long rootOffset, int objects, long checksum, long usedBytes) {
    }

    /**
     * What a worker found.
     *
     * @param objects  customers read
     * @param checksum a sum over every field read, to compare with {@link Built#checksum}
     */
    public record Touched(int objects, long checksum) {
    }

    /**
     * Bytes a store needs to hold a data set.
     *
     * @param objects customers
     * @return a capacity in bytes, with room to spare
     */
    public static long capacityBytes(int objects) {
        return (long) objects * (RECORD_BLOCK_BYTES + 8) + (16L << 20);
    }

    /**
     * Builds the customers and the root in a store open as owner; does not freeze or close it.
     *
     * @param store   an owner store
     * @param objects how many customers
     * @return the entry point and what readers must find
     */
    public static Built build(Store store, int objects) {
        Types types = store.types();
        RecordType<Customer> customers = types.register(Customer.class, MethodHandles.lookup());
        long[] offsets = new long[objects];
        long checksum = 0;
        for (int i = 0; i < objects; i++) {
            String name = "user-" + i + "@permafrost.dev";
            Ref<Customer> friend = i == 0 ? null : Ref.to(offsets[i - 1]); // the customer built before
            offsets[i] = customers.write(new Customer(i, i % CATEGORIES, i * 0.5, name, friend)).offset();
            checksum += fieldSum(i, i % CATEGORIES, i * 0.5, name.length(), (byte) name.charAt(name.length() - 1), i - 1);
        }
        Ref<Ref<Customer>[]> root = types.writeReferenceArray(customers, offsets);
        types.adoptRoot(ROOT, root);
        for (long offset : offsets) { // the root array and the friend fields hold them now
            store.release(offset);
        }
        return new Built(root.offset(), objects, checksum, StoreFormat.alignToPage(store.stats().bumpOffset()));
    }

    /**
     * The first lookup a worker does: the root by name and its first customer, retained, read
     * and released.
     *
     * @param store the store
     * @return the first customer's id
     */
    public static int firstLookup(Store store) {
        Readers readers = new Readers(store);
        long root = store.types().root(ROOT).orElseThrow().offset();
        store.retain(root);
        try {
            long customer = store.payload(root).get(StoreFormat.LONG, ArrayDescriptor.REFERENCES_OFFSET);
            store.retain(customer);
            int id = readers.id.get(customer);
            store.release(customer);
            return id;
        } finally {
            store.release(root);
        }
    }

    /**
     * Looks up every customer through the root, reads all its fields and its friend's id, and
     * retains and releases it: what a worker serving requests does to each object.
     *
     * @param store the store
     * @return how many customers were read, and a checksum of what was read
     */
    public static Touched touchAll(Store store) {
        Readers readers = new Readers(store);
        long root = store.types().root(ROOT).orElseThrow().offset();
        store.retain(root);
        try {
            MemorySegment elements = store.payload(root);
            int objects = ArrayDescriptor.referenceArrayLength(elements.byteSize());
            long checksum = 0;
            for (int i = 0; i < objects; i++) {
                long customer = elements.get(StoreFormat.LONG,
                        ArrayDescriptor.REFERENCES_OFFSET + (long) ArrayDescriptor.REFERENCE_BYTES * i);
                store.retain(customer);
                String name = readers.name.get(customer);
                long friend = readers.friend.get(customer);
                int friendId = friend == 0 ? -1 : readers.id.get(friend);
                checksum += fieldSum(readers.id.get(customer), readers.category.get(customer), readers.score.get(customer),
                        name.length(), (byte) name.charAt(name.length() - 1), friendId);
                store.release(customer);
            }
            return new Touched(objects, checksum);
        } finally {
            store.release(root);
        }
    }

    /** Zero-copy field accessors, bound once per process (per cache version) to the stored type. */
    private static final class Readers {
        static Readers of(CacheEntry<Customer> entry) {
            return new Readers(entry.<Customer>recordType());
        }

        final IntField id;
        final IntField category;
        final DoubleField score;
        final StringField name;
        final ReferenceField friend;

        Readers(Store store) {
            this(store.types().register(Customer.class, MethodHandles.lookup()));
        }

        Readers(RecordType<Customer> customers) {
            id = customers.intField("id");
            category = customers.intField("category");
            score = customers.doubleField("score");
            name = customers.stringField("name");
            friend = customers.referenceField("friend");
        }
    }

    private static long fieldSum(int id, int category, double score, int nameLength, byte nameLast, int friendId) {
        return id * 31L + category + Double.doubleToLongBits(score) % 1_000_003 + nameLength + nameLast + friendId;
    }
}
