/**
 * The store file format as code: one descriptor class per structure, each with its offsets,
 * an ASCII picture of its bytes, and pure encode and decode methods that check bounds,
 * versions and checksums. {@code docs/FORMAT.md} says the same in prose, and a test keeps the
 * two in step.
 *
 * <ul>
 *   <li>{@link dev.permafrost.layout.StoreFormat}: page size, alignment, byte order, regions.</li>
 *   <li>{@link dev.permafrost.layout.SuperblockDescriptor}: page 0, written once at creation.</li>
 *   <li>{@link dev.permafrost.layout.CommitSlotDescriptor}: the two commit slots, which hold
 *       the allocator state and everything else that changes.</li>
 *   <li>{@link dev.permafrost.layout.ObjectHeaderDescriptor}: the 16-byte header of every block,
 *       with the reference-count word and the meta word.</li>
 *   <li>{@link dev.permafrost.layout.SizeClasses}: block sizes, a pure function of payload length.</li>
 *   <li>{@link dev.permafrost.layout.TypeTableDescriptor}, {@link dev.permafrost.layout.RootTableDescriptor}:
 *       the tables every process finds its types and its way into the store through.</li>
 *   <li>{@link dev.permafrost.layout.TypeIds}, {@link dev.permafrost.layout.TypeEntryDescriptor},
 *       {@link dev.permafrost.layout.FieldKinds}, {@link dev.permafrost.layout.StructDescriptor},
 *       {@link dev.permafrost.layout.ArrayDescriptor}: typed objects: type ids, type descriptors,
 *       field kinds, the struct encoding with its inline tail, strings and arrays.</li>
 *   <li>{@link dev.permafrost.layout.HeapWalker}: the heap, block by block.</li>
 *   <li>{@link dev.permafrost.layout.StoreHeaders}: the one validator of a file's header (superblock,
 *       commit slots, the committed slot against the file's length), used by every opener.</li>
 * </ul>
 *
 * <p>Thread rules: every class here is stateless. Nothing here does I/O; the methods read and
 * write the {@link java.lang.foreign.MemorySegment} they are given (a mapping or a copy of
 * a page) and allocate only their results.
 */
package dev.permafrost.layout;
