package dev.permafrost.heapdump;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * A minimal streaming JSON writer: objects, arrays, strings, numbers, booleans, null. Keys are
 * written as given (the commands use snake_case). Not thread-safe.
 */
final class Json {
    private final StringBuilder out = new StringBuilder();
    /** One entry per open container: whether it has had an element yet. */
    private final Deque<boolean[]> open = new ArrayDeque<>();
    private boolean afterKey;

    Json beginObject() {
        value();
        out.append('{');
        open.push(new boolean[1]);
        return this;
    }

    Json endObject() {
        open.pop();
        out.append('}');
        return this;
    }

    Json beginArray() {
        value();
        out.append('[');
        open.push(new boolean[1]);
        return this;
    }

    Json endArray() {
        open.pop();
        out.append(']');
        return this;
    }

    Json key(String name) {
        separate();
        string(name);
        out.append(':');
        afterKey = true;
        return this;
    }

    Json value(String s) {
        value();
        if (s == null) {
            out.append("null");
        } else {
            string(s);
        }
        return this;
    }

    Json value(long n) {
        value();
        out.append(n);
        return this;
    }

    Json value(double d) {
        value();
        out.append(Double.isFinite(d) ? Double.toString(d) : "null");
        return this;
    }

    Json value(boolean b) {
        value();
        out.append(b);
        return this;
    }

    Json field(String name, String s) {
        return key(name).value(s);
    }

    Json field(String name, long n) {
        return key(name).value(n);
    }

    Json field(String name, double d) {
        return key(name).value(d);
    }

    Json field(String name, boolean b) {
        return key(name).value(b);
    }

    @Override
    public String toString() {
        return out.toString();
    }

    private void value() {
        if (afterKey) {
            afterKey = false;
            return;
        }
        separate();
    }

    private void separate() {
        boolean[] first = open.peek();
        if (first != null) {
            if (first[0]) {
                out.append(',');
            }
            first[0] = true;
        }
    }

    private void string(String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20 || Character.isSurrogate(c) && !validSurrogate(s, i)) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    private static boolean validSurrogate(String s, int i) {
        char c = s.charAt(i);
        return Character.isHighSurrogate(c) ? i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))
                : i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
    }
}
