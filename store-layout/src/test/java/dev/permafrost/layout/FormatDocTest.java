package dev.permafrost.layout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.permafrost.error.PermafrostException;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Keeps {@code docs/FORMAT.md} true: reads its tables and checks them against the descriptor
 * constants by reflection.
 *
 * <ul>
 *   <li>A table headed {@code offset | size | name | meaning} is a field table of the class
 *       named on the nearest line above it that starts with {@code Fields of `Class`}. A row
 *       whose name is a backticked constant must have that constant's value as its offset;
 *       rows tile the structure from offset 0 (each row starts where the one before it ends),
 *       so every size is checked against the offset of the row after it. A size that is not a
 *       number ends the table; a size of {@code —} marks an end row (its name is a length).</li>
 *   <li>Every public {@code *_OFFSET} constant of every class of the package appears in a
 *       field table of its class (the cache version's header, {@code CacheHeaderDescriptor},
 *       included).</li>
 *   <li>A table headed {@code constant | value | meaning} gives {@code Class.CONSTANT} and its
 *       value, decimal or {@code 0x} hex.</li>
 *   <li>A table headed {@code class | block bytes} gives size classes; a table headed
 *       {@code order | check | exception} names exceptions of {@code dev.permafrost.error}.</li>
 * </ul>
 */
class FormatDocTest {
    private static final Path DOC = Path.of("..", "docs", "FORMAT.md");
    private static final Path SOURCES = Path.of("src", "main", "java", "dev", "permafrost", "layout");
    private static final String PACKAGE = "dev.permafrost.layout.";
    private static final Pattern CONSTANT_NAME = Pattern.compile("`([A-Z][A-Z0-9_]*)`");
    private static final Pattern QUALIFIED_CONSTANT = Pattern.compile("`([A-Z]\\w*)\\.([A-Z][A-Z0-9_]*)`");
    private static final Pattern FIELDS_OF = Pattern.compile("^Fields of `([A-Z]\\w*)`");
    private static final Pattern EXCEPTION = Pattern.compile("`(\\w+Exception)`");

    /** One markdown table: the header cells (lower case), the rows, and what names its class. */
    private record Table(int line, List<String> header, List<List<String>> rows, String fieldsOf) {
    }

    private static String doc;
    private static List<Table> tables;

    @BeforeAll
    static void readTheDoc() throws IOException {
        assertThat(DOC).as("docs/FORMAT.md, relative to the store-layout module").exists();
        doc = Files.readString(DOC, StandardCharsets.UTF_8);
        tables = parseTables(doc.lines().toList());
    }

    @Test
    void everyFieldTableRowMatchesItsDescriptorConstants() throws ReflectiveOperationException {
        List<Table> fieldTables = tablesHeaded("offset", "size", "name", "meaning");
        assertThat(fieldTables.size()).as("field tables in FORMAT.md").isGreaterThanOrEqualTo(8);
        assertThat(fieldTableErrors(fieldTables)).as("FORMAT.md field tables against the descriptors").isEmpty();
    }

    @Test
    void aFieldTableThatDisagreesWithItsDescriptorIsCaught() throws ReflectiveOperationException {
        List<Table> wrongOffset = parseTables(List.of("Fields of `SuperblockDescriptor`:", "",
                "| offset | size | name | meaning |", "|---|---|---|---|",
                "| 0 | 8 | `MAGIC_OFFSET` | magic |", "| 8 | 8 | `VERSION_OFFSET` | version |",
                "| 16 | 8 | `PAGE_SIZE_OFFSET` | page size |"));
        assertThat(fieldTableErrors(wrongOffset)).singleElement().asString().contains("PAGE_SIZE_OFFSET is 12, the doc says 16");
        List<Table> wrongSize = parseTables(List.of("Fields of `SuperblockDescriptor`:", "",
                "| offset | size | name | meaning |", "|---|---|---|---|",
                "| 0 | 4 | `MAGIC_OFFSET` | magic |", "| 8 | 4 | `VERSION_OFFSET` | version |"));
        assertThat(fieldTableErrors(wrongSize)).singleElement().asString().contains("starts at 8 but the row before ends at 4");
        List<Table> unknownName = parseTables(List.of("Fields of `CommitSlotDescriptor`:", "",
                "| offset | size | name | meaning |", "|---|---|---|---|", "| 0 | 8 | `MAGIC_OFSET` | magic |"));
        assertThat(fieldTableErrors(unknownName)).singleElement().asString().contains("no public constant MAGIC_OFSET");
        assertThat(number("0xC000000000000000")).isEqualTo(ObjectHeaderDescriptor.IMMORTAL_COUNT);
        assertThat(number("capacity − 12288")).isNull();
    }

    private static List<String> fieldTableErrors(List<Table> fieldTables) throws ReflectiveOperationException {
        List<String> errors = new ArrayList<>();
        for (Table table : fieldTables) {
            assertThat(table.fieldsOf()).as("the 'Fields of `Class`' line above the table at line %d", table.line()).isNotNull();
            Class<?> descriptor = Class.forName(PACKAGE + table.fieldsOf());
            Long expectedOffset = 0L;
            for (int r = 0; r < table.rows().size(); r++) {
                List<String> row = table.rows().get(r);
                String where = table.fieldsOf() + " table at line " + table.line() + ", row " + (r + 1);
                Long offset = number(row.get(0));
                if (offset == null) {
                    errors.add(where + ": offset '" + row.get(0) + "' is not a number");
                    continue;
                }
                if (expectedOffset == null) {
                    errors.add(where + ": follows a row whose size is not a number, which must be the last");
                } else if (!offset.equals(expectedOffset)) {
                    errors.add(where + ": starts at " + offset + " but the row before ends at " + expectedOffset);
                }
                Matcher name = CONSTANT_NAME.matcher(row.get(2));
                if (name.matches()) {
                    Long value = constant(descriptor, name.group(1));
                    if (value == null) {
                        errors.add(where + ": " + table.fieldsOf() + " has no public constant " + name.group(1));
                    } else if (value.longValue() != offset) {
                        errors.add(where + ": " + table.fieldsOf() + "." + name.group(1) + " is " + value
                                + ", the doc says " + offset);
                    }
                } else if (!row.get(2).startsWith("(")) {
                    errors.add(where + ": name '" + row.get(2) + "' is neither a `CONSTANT` nor a (parenthesised) filler");
                }
                Long size = number(row.get(1));
                if (row.get(1).equals("—") && r != table.rows().size() - 1) {
                    errors.add(where + ": an end row (size —) must be the last row");
                }
                expectedOffset = size == null ? null : offset + size;
            }
        }
        return errors;
    }

    @Test
    void everyPublicOffsetConstantOfEveryDescriptorIsDocumented() throws ReflectiveOperationException {
        Map<String, Set<String>> documented = new HashMap<>();
        for (Table table : tablesHeaded("offset", "size", "name", "meaning")) {
            for (List<String> row : table.rows()) {
                Matcher name = CONSTANT_NAME.matcher(row.get(2));
                if (name.matches()) {
                    documented.computeIfAbsent(table.fieldsOf(), k -> new HashSet<>()).add(name.group(1));
                }
            }
        }
        Set<String> missing = new TreeSet<>();
        int offsetConstants = 0;
        for (String className : layoutClasses()) {
            for (Field field : Class.forName(PACKAGE + className).getDeclaredFields()) {
                if (isPublicConstant(field) && field.getName().endsWith("_OFFSET")) {
                    offsetConstants++;
                    if (!documented.getOrDefault(className, Set.of()).contains(field.getName())) {
                        missing.add(className + "." + field.getName());
                    }
                }
            }
        }
        assertThat(offsetConstants).as("public *_OFFSET constants found").isGreaterThanOrEqualTo(30);
        assertThat(missing).as("*_OFFSET constants missing from a field table of their class in FORMAT.md").isEmpty();
    }

    @Test
    void everyConstantTableRowGivesTheConstantsValue() throws ReflectiveOperationException {
        List<String> errors = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (Table table : tablesHeaded("constant", "value", "meaning")) {
            for (List<String> row : table.rows()) {
                String where = "constant table at line " + table.line() + ": " + row.get(0);
                Matcher name = QUALIFIED_CONSTANT.matcher(row.get(0));
                if (!name.matches()) {
                    errors.add(where + " is not `Class.CONSTANT`");
                    continue;
                }
                Long value = constant(Class.forName(PACKAGE + name.group(1)), name.group(2));
                Long documented = number(row.get(1));
                if (value == null) {
                    errors.add(where + ": no such public numeric constant");
                } else if (documented == null || documented.longValue() != value) {
                    errors.add(where + " is " + value + " (0x" + Long.toHexString(value).toUpperCase() + "), the doc says " + row.get(1));
                }
                seen.add(name.group(1) + "." + name.group(2));
            }
        }
        assertThat(errors).isEmpty();
        assertThat(seen).as("key values FORMAT.md must state").contains("StoreFormat.FORMAT_VERSION",
                "StoreFormat.PAGE_SIZE", "SizeClasses.COUNT", "ObjectHeaderDescriptor.IMMORTAL_COUNT",
                "SuperblockDescriptor.MAGIC", "CommitSlotDescriptor.MAGIC", "CommitSlotDescriptor.FLAG_CLEAN",
                "CommitSlotDescriptor.FLAG_FROZEN", "TypeIds.INVALID", "TypeIds.FIRST_USER_TYPE_ID",
                "ObjectHeaderDescriptor.MAX_TYPE_ID", "ObjectHeaderDescriptor.MAX_PAYLOAD_BYTES",
                "CacheHeaderDescriptor.MAGIC", "CacheHeaderDescriptor.FORMAT_VERSION", "CacheHeaderDescriptor.HASH_KEY_BYTES",
                "CacheHeaderDescriptor.HASH_STRING", "CacheFilterDescriptor.PROBES", "CacheFilterDescriptor.BITS_PER_ENTRY",
                "CacheFilterDescriptor.MIX",
                "CacheHeaderDescriptor.LOAD_PERCENT", "CacheSlotDescriptor.POSITION_BITS", "CacheEntryDescriptor.CHUNK_SHIFT",
                "CacheEntryDescriptor.MAX_KEY_BYTES");
    }

    @Test
    void theMagicStringsAndTheImmortalCountAreSpelledOut() {
        assertThat(ascii(SuperblockDescriptor.MAGIC)).isEqualTo("PRMFROST");
        assertThat(ascii(CommitSlotDescriptor.MAGIC)).isEqualTo("PFCOMMIT");
        assertThat(ascii(CacheHeaderDescriptor.MAGIC)).isEqualTo(CacheHeaderDescriptor.MAGIC_TEXT).isEqualTo("PFCACHE1");
        assertThat(doc).contains("`\"PFCACHE1\"`", "root `" + CacheHeaderDescriptor.ROOT_NAME + "`");
        assertThat(doc).contains("`\"PRMFROST\"`", "`\"PFCOMMIT\"`", "`PRMFROST`", "`PFCOMMIT`");
        assertThat(doc).contains(String.format("0x%016X", ObjectHeaderDescriptor.IMMORTAL_COUNT));
        assertThat(doc).contains("format version " + StoreFormat.FORMAT_VERSION);
        assertThat(doc).contains("`PAGE_SIZE` = " + StoreFormat.PAGE_SIZE);
        assertThat(doc).as("the filter's worked example").contains(String.format("`bits = 0x%016X`", CacheFilterDescriptor.mask(1)));
    }

    @Test
    void theSizeClassTableGivesTheSizesSizeClassesComputes() {
        List<Table> classTables = tablesHeaded("class", "block bytes");
        assertThat(classTables).hasSize(1);
        List<List<String>> rows = classTables.getFirst().rows();
        assertThat(rows).hasSizeGreaterThanOrEqualTo(10);
        for (List<String> row : rows) {
            int sizeClass = Math.toIntExact(number(row.get(0)));
            assertThat(number(row.get(1))).as("size of class %d", sizeClass).isEqualTo(SizeClasses.sizeOf(sizeClass));
        }
        assertThat(rows.getLast().get(0)).as("the table ends at the last class").isEqualTo(String.valueOf(SizeClasses.COUNT - 1));
    }

    @Test
    void theValidationTableNamesRealExceptions() throws ClassNotFoundException {
        List<Table> validation = tablesHeaded("order", "check", "exception");
        assertThat(validation).as("the header rules and StoreFile.open's own").hasSize(2);
        Set<String> named = new TreeSet<>();
        for (Table table : validation) {
            for (List<String> row : table.rows()) {
                Matcher exception = EXCEPTION.matcher(row.get(2));
                while (exception.find()) {
                    named.add(exception.group(1));
                }
            }
        }
        assertThat(named).contains("NotAStoreException", "IncompatibleVersionException", "CorruptStoreException",
                "TruncatedStoreException", "StoreNotCleanException", "StoreLockedException");
        for (String name : named) {
            assertThat(PermafrostException.class.isAssignableFrom(Class.forName("dev.permafrost.error." + name)))
                    .as(name + " is a PermafrostException").isTrue();
        }
    }

    private static List<Table> tablesHeaded(String... header) {
        return tables.stream().filter(t -> t.header().equals(List.of(header))).toList();
    }

    /** Parses every table outside fenced code blocks. */
    private static List<Table> parseTables(List<String> lines) {
        List<Table> found = new ArrayList<>();
        String fieldsOf = null;
        boolean fenced = false;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.startsWith("```")) {
                fenced = !fenced;
                continue;
            }
            if (fenced) {
                continue;
            }
            Matcher fields = FIELDS_OF.matcher(line);
            if (fields.find()) {
                fieldsOf = fields.group(1);
            }
            if (line.startsWith("|") && i + 1 < lines.size() && lines.get(i + 1).strip().startsWith("|---")) {
                List<String> header = cells(line).stream().map(String::toLowerCase).toList();
                List<List<String>> rows = new ArrayList<>();
                int start = i;
                for (i += 2; i < lines.size() && lines.get(i).strip().startsWith("|"); i++) {
                    List<String> row = cells(lines.get(i).strip());
                    assertThat(row).as("cells of line %d", i + 1).hasSize(header.size());
                    rows.add(row);
                }
                boolean isFieldTable = header.equals(List.of("offset", "size", "name", "meaning"));
                found.add(new Table(start + 1, header, rows, isFieldTable ? fieldsOf : null));
                if (isFieldTable) {
                    fieldsOf = null; // each field table names its class
                }
            }
        }
        return found;
    }

    private static List<String> cells(String line) {
        String inner = line.substring(1, line.endsWith("|") ? line.length() - 1 : line.length());
        return Stream.of(inner.split("\\|", -1)).map(String::strip).toList();
    }

    /** Decimal or {@code 0x} hex (64 bits, unsigned), or {@code null} if the cell is not a number. */
    private static Long number(String cell) {
        try {
            if (cell.startsWith("0x")) {
                return Long.parseUnsignedLong(cell.substring(2), 16);
            }
            return Long.parseLong(cell);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** The value of a public static numeric constant, or {@code null} if there is none. */
    private static Long constant(Class<?> owner, String name) throws IllegalAccessException {
        Field field;
        try {
            field = owner.getField(name);
        } catch (NoSuchFieldException e) {
            return null;
        }
        return isPublicConstant(field) && field.get(null) instanceof Number n && !(n instanceof Double || n instanceof Float)
                ? n.longValue() : null;
    }

    private static boolean isPublicConstant(Field field) {
        int modifiers = field.getModifiers();
        return Modifier.isPublic(modifiers) && Modifier.isStatic(modifiers) && Modifier.isFinal(modifiers);
    }

    /** The top-level classes of the package, from its source folder, so a new descriptor is not missed. */
    private static List<String> layoutClasses() {
        try (Stream<Path> files = Files.list(SOURCES)) {
            List<String> names = files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".java") && !n.equals("package-info.java"))
                    .map(n -> n.substring(0, n.length() - ".java".length())).sorted().toList();
            if (names.size() < 9) {
                fail("expected the layout classes in " + SOURCES.toAbsolutePath() + ", found " + names);
            }
            return names;
        } catch (IOException e) {
            throw new IllegalStateException("cannot list " + SOURCES.toAbsolutePath(), e);
        }
    }

    private static String ascii(long littleEndian) {
        byte[] bytes = new byte[8];
        for (int i = 0; i < 8; i++) {
            bytes[i] = (byte) (littleEndian >>> (8 * i));
        }
        return new String(bytes, StandardCharsets.US_ASCII);
    }
}
