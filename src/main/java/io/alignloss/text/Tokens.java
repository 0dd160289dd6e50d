package io.alignloss.text;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import com.knuddels.jtokkit.api.IntArrayList;

/**
 * The language model's token space: the 100,256 ordinary tokens of the cl100k_base BPE vocabulary (ids
 * 0..100,255, as jtokkit encodes them) plus one end-of-text outcome, {@link #END} = 100,256, that closes
 * every response (cl100k's own {@code <|endoftext|>} is 100,257; renumbering keeps the space dense).
 */
public final class Tokens {
    /** Ordinary cl100k_base tokens. */
    public static final int ORDINARY = 100_256;
    /** The end-of-text outcome. */
    public static final int END = ORDINARY;
    /** Every outcome the model assigns a probability to: the ordinary tokens and END. */
    public static final int OUTCOMES = ORDINARY + 1;

    private Tokens() {
    }

    /** One encoder per JVM: loading cl100k_base takes about a second. */
    private static final class Holder {
        static final Encoding CL100K = Encodings.newDefaultEncodingRegistry().getEncoding(EncodingType.CL100K_BASE);
    }

    /** Loads the encoder now (about a second), so that a later first {@link #encode} or {@link #count} does not wait for it. */
    public static void load() {
        Holder.CL100K.getName();
    }

    /** The ordinary tokens of {@code text} (special-token text is encoded as plain text); empty for null. */
    public static int[] encode(String text) {
        if (text == null || text.isEmpty()) {
            return new int[0];
        }
        return Holder.CL100K.encodeOrdinary(text).toArray();
    }

    /** The number of ordinary tokens of {@code text}, as {@link #encode} gives them, without building the array; 0 for null. */
    public static int count(String text) {
        if (text == null || text.isEmpty()) {
            return 0;
        }
        return Holder.CL100K.countTokensOrdinary(text);
    }

    /** The text of ordinary tokens (END and anything after it are left out). */
    public static String decode(int[] tokens) {
        IntArrayList list = new IntArrayList(tokens.length);
        for (int token : tokens) {
            if (token == END) {
                break;
            }
            list.add(token);
        }
        return Holder.CL100K.decode(list);
    }
}
