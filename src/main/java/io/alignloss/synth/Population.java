package io.alignloss.synth;

/**
 * The population the samples are drawn from: languages and domains with their shares (the samples' and the served
 * population's), how well the logged reward model separates pairs in each, and the words the texts are made of.
 */
final class Population {
    static final String[] LANGUAGES = {"en", "de", "fr", "es", "ja"};
    static final double[] LANGUAGE_SHARES = {0.62, 0.14, 0.1, 0.09, 0.05};
    /** The served population's language mix (the reference sample): the samples over-represent English. */
    static final double[] POPULATION_LANGUAGE_SHARES = {0.3, 0.2, 0.2, 0.15, 0.15};
    /** Words that mark a prompt's language, so that a text classifier can see the language mix. */
    static final String[] LANGUAGE_WORDS = {"please", "bitte", "s'il vous plaît", "por favor", "kudasai"};
    static final String[] DOMAINS = {"chat", "code", "math", "safety"};
    static final double[] DOMAIN_SHARES = {0.45, 0.25, 0.18, 0.12};
    /** How well the logged reward model separates the pair, by domain and by language. */
    static final double[] DOMAIN_SEPARATION = {1.4, 1.0, 0.6, 1.8};
    static final double[] LANGUAGE_SEPARATION = {1.0, 0.8, 0.8, 0.7, 0.4};
    static final String[] WORDS = ("the a model answer question explain why how data code function value list "
            + "table number proof step result error test user system request safe unsafe help write short long clear "
            + "example because first then finally check compute sum mean loss train evaluate prompt response reward "
            + "policy token sequence text language translate summarize review fix bug improve simple detailed")
            .split(" ");

    private Population() {
    }
}
