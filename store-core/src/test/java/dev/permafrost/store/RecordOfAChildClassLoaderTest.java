package dev.permafrost.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.spi.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A public record that the store's class loader cannot see (a plugin's, a fat jar's, the
 * single-file source launcher's): registering and writing it worked, but every read threw
 * {@code NoClassDefFoundError}, because the generated decoder named the record class and was
 * defined in the store's own loader.
 */
class RecordOfAChildClassLoaderTest {
    private static final String PART = """
            package com.example.plugin;
            public record Part(long weight, String label) {
            }
            """;
    private static final String GADGET = """
            package com.example.plugin;
            import dev.permafrost.store.Ref;
            public record Gadget(int id, String name, Part main, Part[] spares, Ref<Part> supplier, int[] sizes, String[] tags) {
            }
            """;

    @TempDir
    Path dir;

    @Test
    void aPublicRecordOfAChildClassLoaderReadsBackInsteadOfThrowingNoClassDefFoundError() throws Exception {
        try (URLClassLoader plugin = new URLClassLoader(new URL[] {compile().toUri().toURL()}, getClass().getClassLoader());
             Store store = Store.create(dir.resolve("s.pf"), 1 << 20)) {
            Class<? extends Record> partClass = plugin.loadClass("com.example.plugin.Part").asSubclass(Record.class);
            Class<? extends Record> gadgetClass = plugin.loadClass("com.example.plugin.Gadget").asSubclass(Record.class);
            assertThat(partClass.getClassLoader()).isSameAs(plugin);

            RecordType<? extends Record> gadgets = store.types().register(gadgetClass); // binds Part too
            Object supplierPart = construct(partClass, 7L, "supplier");
            long supplier = write(store.types().register(partClass), supplierPart);
            Object spares = Arrays.copyOf(new Object[] {construct(partClass, 2L, "spare"), null}, 2,
                    partClass.arrayType().asSubclass(Object[].class));
            Object gadget = construct(gadgetClass, 42, "gizmo", construct(partClass, 5L, "main"), spares, Ref.to(supplier),
                    new int[] {1, 2, 3}, new String[] {"a", null});
            long written = write(gadgets, gadget);

            Record read = gadgets.read(written);
            assertThat(read).isInstanceOf(gadgetClass).usingRecursiveComparison().isEqualTo(gadget);
            assertThat(store.types().register(partClass).read(supplier)).isEqualTo(supplierPart);
        }
    }

    private static <R extends Record> long write(RecordType<R> type, Object value) {
        return type.write(type.recordClass().cast(value)).offset();
    }

    private static Object construct(Class<? extends Record> recordClass, Object... values) throws ReflectiveOperationException {
        Class<?>[] types = Arrays.stream(recordClass.getRecordComponents()).map(RecordComponent::getType).toArray(Class<?>[]::new);
        Constructor<? extends Record> canonical = recordClass.getDeclaredConstructor(types);
        return canonical.newInstance(values);
    }

    /** Compiles the plugin's records into a directory of their own, which only the child loader reads. */
    private Path compile() throws IOException, URISyntaxException {
        Path sources = Files.createDirectories(dir.resolve("src/com/example/plugin"));
        Path classes = Files.createDirectories(dir.resolve("classes"));
        Files.writeString(sources.resolve("Part.java"), PART);
        Files.writeString(sources.resolve("Gadget.java"), GADGET);
        String storeClasses = Path.of(Ref.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        // java.base's tool SPI: the tests live in dev.permafrost.core, which does not read java.compiler
        ToolProvider javac = ToolProvider.findFirst("javac").orElseThrow();
        List<String> arguments = List.of("-d", classes.toString(), "-classpath", storeClasses,
                sources.resolve("Part.java").toString(), sources.resolve("Gadget.java").toString());
        if (javac.run(System.out, System.err, arguments.toArray(String[]::new)) != 0) {
            throw new UncheckedIOException(new IOException("javac failed on the plugin's records"));
        }
        return classes;
    }
}
