-- fanarchive_text 1.0: see fanarchive_text.c for what and why.
\echo Use "CREATE EXTENSION fanarchive_text" to load this file. \quit

CREATE FUNCTION fanarchive_words_start(internal, int4) RETURNS internal
    AS 'MODULE_PATHNAME' LANGUAGE C STRICT;
CREATE FUNCTION fanarchive_words_gettoken(internal, internal, internal) RETURNS internal
    AS 'MODULE_PATHNAME' LANGUAGE C STRICT;
CREATE FUNCTION fanarchive_words_end(internal) RETURNS void
    AS 'MODULE_PATHNAME' LANGUAGE C STRICT;
CREATE FUNCTION fanarchive_words_lextype(internal) RETURNS internal
    AS 'MODULE_PATHNAME' LANGUAGE C STRICT;
CREATE TEXT SEARCH PARSER fanarchive_words (
    START = fanarchive_words_start, GETTOKEN = fanarchive_words_gettoken,
    END = fanarchive_words_end, LEXTYPES = fanarchive_words_lextype);

CREATE FUNCTION fanarchive_lower_init(internal) RETURNS internal
    AS 'MODULE_PATHNAME' LANGUAGE C STRICT;
CREATE FUNCTION fanarchive_lower_lexize(internal, internal, internal, internal) RETURNS internal
    AS 'MODULE_PATHNAME' LANGUAGE C STRICT;
CREATE TEXT SEARCH TEMPLATE fanarchive_lower (INIT = fanarchive_lower_init, LEXIZE = fanarchive_lower_lexize);
CREATE TEXT SEARCH DICTIONARY fanarchive_lower (TEMPLATE = fanarchive_lower);

CREATE TEXT SEARCH CONFIGURATION fanarchive (PARSER = fanarchive_words);
ALTER TEXT SEARCH CONFIGURATION fanarchive ADD MAPPING FOR word WITH fanarchive_lower;

CREATE FUNCTION fanarchive_tsvector(text) RETURNS tsvector
    AS 'MODULE_PATHNAME' LANGUAGE C STRICT IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION fanarchive_repeats(tsvector, int4[]) RETURNS tsvector
    AS 'MODULE_PATHNAME' LANGUAGE C STRICT IMMUTABLE PARALLEL SAFE;
