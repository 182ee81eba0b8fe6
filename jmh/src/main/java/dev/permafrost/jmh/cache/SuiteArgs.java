package dev.permafrost.jmh.cache;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line every suite that is not JMH takes: {@code --out FILE} (required: the JSON
 * results, {@link SuiteResult}), and at most one of {@code --quick} (fewer sizes and repetitions)
 * and {@code --smoke} (tiny sizes, seconds: does every peer still start?). A suite that takes
 * options of its own gets the rest in {@link #rest}.
 *
 * @param size how much to run
 * @param out  where to write the results
 * @param rest the arguments this class does not know, in their order
 */
public record SuiteArgs(Size size, Path out, List<String> rest) {
    /** How much of a suite to run. */
    public enum Size {
        /** Every size and repetition the suite's javadoc names. */
        FULL,
        /** {@code --quick}: fewer sizes and repetitions. */
        QUICK,
        /** {@code --smoke}: tiny sizes, one repetition. */
        SMOKE
    }

    /**
     * Creates the arguments.
     *
     * @param size how much to run
     * @param out  where to write the results
     * @param rest the arguments this class does not know
     */
    public SuiteArgs {
        rest = List.copyOf(rest);
    }

    /**
     * Parses a suite's command line.
     *
     * @param args the arguments of {@code main}
     * @return them
     * @throws IllegalArgumentException with a one-line message if {@code --out} is missing or has no
     *                                  value, or both {@code --quick} and {@code --smoke} are given
     */
    public static SuiteArgs parse(String[] args) {
        Size size = Size.FULL;
        Path out = null;
        List<String> rest = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick", "--smoke" -> {
                    Size given = args[i].equals("--quick") ? Size.QUICK : Size.SMOKE;
                    if (size != Size.FULL && size != given) {
                        throw new IllegalArgumentException("--quick and --smoke exclude each other");
                    }
                    size = given;
                }
                case "--out" -> {
                    if (i + 1 >= args.length || args[i + 1].isEmpty()) {
                        throw new IllegalArgumentException("--out needs a file");
                    }
                    out = Path.of(args[++i]);
                }
                default -> rest.add(args[i]);
            }
        }
        if (out == null) {
            throw new IllegalArgumentException("--out FILE is required (the JSON results)");
        }
        return new SuiteArgs(size, out, rest);
    }

    /**
     * Picks the value for this size.
     *
     * @param <T>   the value's type
     * @param full  for a full run
     * @param quick for {@code --quick}
     * @param smoke for {@code --smoke}
     * @return one of them
     */
    public <T> T pick(T full, T quick, T smoke) {
        return switch (size) {
            case FULL -> full;
            case QUICK -> quick;
            case SMOKE -> smoke;
        };
    }
}
