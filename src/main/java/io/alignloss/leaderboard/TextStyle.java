package io.alignloss.leaderboard;

import io.alignloss.text.Tokens;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A style feature counted in a response's text, as in FastChat's style control: its length in cl100k_base tokens
 * ({@link Tokens}) and its markdown elements. Markdown is counted outside fenced code blocks (```…```, removed first):
 * headers are lines starting with 1–6 {@code #} and a space, list items lines starting (after indentation) with
 * {@code 1.}-style numbers or {@code -}, {@code *}, {@code +} and a space, bold spans {@code **text**} or
 * {@code __text__} within one line.
 */
enum TextStyle {
    LENGTH("length"),
    MARKDOWN_HEADERS("markdown_headers"),
    MARKDOWN_LIST_ITEMS("markdown_list_items"),
    MARKDOWN_BOLD("markdown_bold");

    /** The --style name that stands for the three markdown features. */
    static final String MARKDOWN = "markdown";

    private static final Pattern CODE_BLOCK = Pattern.compile("```[^`]*```");
    private static final Pattern HEADER = Pattern.compile("^#{1,6}\\s", Pattern.MULTILINE);
    private static final Pattern LIST_ITEM = Pattern.compile("^\\s*(?:\\d+\\.|[-*+])\\s", Pattern.MULTILINE);
    private static final Pattern BOLD = Pattern.compile("\\*\\*[^*\\n]+\\*\\*|__[^_\\n]+__");

    private final String featureName;

    TextStyle(String featureName) {
        this.featureName = featureName;
    }

    /** The feature's name in --style and in leaderboard.json. */
    String featureName() {
        return featureName;
    }

    /** The count in {@code text} (non-null). */
    double count(String text) {
        return switch (this) {
            case LENGTH -> Tokens.encode(text).length;
            case MARKDOWN_HEADERS -> matches(HEADER, withoutCode(text));
            case MARKDOWN_LIST_ITEMS -> matches(LIST_ITEM, withoutCode(text));
            case MARKDOWN_BOLD -> matches(BOLD, withoutCode(text));
        };
    }

    /** The features a --style name stands for: one of {@link #featureName()}, or {@value #MARKDOWN} for the three markdown ones. */
    static Optional<List<TextStyle>> named(String name) {
        if (name.equals(MARKDOWN)) {
            return Optional.of(List.of(MARKDOWN_HEADERS, MARKDOWN_LIST_ITEMS, MARKDOWN_BOLD));
        }
        return Arrays.stream(values()).filter(style -> style.featureName.equals(name)).findFirst().map(List::of);
    }

    /** Every name {@link #named} accepts. */
    static List<String> names() {
        List<String> names = new java.util.ArrayList<>(Arrays.stream(values()).map(TextStyle::featureName).toList());
        names.add(1, MARKDOWN);
        return names;
    }

    private static String withoutCode(String text) {
        return CODE_BLOCK.matcher(text).replaceAll("");
    }

    private static int matches(Pattern pattern, String text) {
        return (int) pattern.matcher(text).results().count();
    }
}
