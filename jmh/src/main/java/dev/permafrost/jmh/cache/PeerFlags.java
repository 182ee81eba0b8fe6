package dev.permafrost.jmh.cache;

import java.util.List;

/**
 * The JVM options each peer needs on JDK 25, for the child JVMs the suites start: the same as
 * {@link CacheBenchmark}'s forks get (there as annotation constants, which cannot name a list).
 * Permafrost's children get {@link #PERMAFROST} alone.
 */
public final class PeerFlags {
    /** Permafrost's: native access for the store's FFM downcalls, nothing opened. */
    public static final List<String> PERMAFROST = List.of("--enable-native-access=ALL-UNNAMED");

    /** Chronicle Map's, as Chronicle documents them for JDK 17 and later, analytics off. */
    public static final List<String> CHRONICLE_MAP = List.of(
            "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow",
            "-Dchronicle.analytics.disable=true",
            "--add-exports=java.base/jdk.internal.ref=ALL-UNNAMED", "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED",
            "--add-exports=jdk.unsupported/sun.misc=ALL-UNNAMED", "--add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED",
            "--add-opens=jdk.compiler/com.sun.tools.javac=ALL-UNNAMED", "--add-opens=java.base/java.lang=ALL-UNNAMED",
            "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED", "--add-opens=java.base/java.io=ALL-UNNAMED",
            "--add-opens=java.base/java.util=ALL-UNNAMED", "--add-opens=java.base/java.nio=ALL-UNNAMED",
            "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED");

    /** lmdbjava's: its buffer proxy reads a direct buffer's address field. */
    public static final List<String> LMDBJAVA = List.of("--enable-native-access=ALL-UNNAMED",
            "--sun-misc-unsafe-memory-access=allow", "--add-opens=java.base/java.nio=ALL-UNNAMED",
            "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED");

    /** Caffeine's and {@code ConcurrentHashMap}'s: none. */
    public static final List<String> HEAP = List.of();

    /**
     * JOL's, for a child that measures object graphs: field offsets of record classes (which
     * {@code Unsafe.objectFieldOffset} refuses on JDK 25), {@code @Contended}'s padding, and no
     * warning for JOL's use of {@code Unsafe}. A measuring child only: no benchmark runs with them.
     */
    public static final List<String> JOL = List.of("-Djol.magicFieldOffset=true", "--sun-misc-unsafe-memory-access=allow",
            "--add-exports=java.base/jdk.internal.vm.annotation=ALL-UNNAMED");

    private PeerFlags() {
    }
}
