#ifndef RT_SUGGEST_H
#define RT_SUGGEST_H
/* "Did you mean": the known name closest to a misspelt one (a key of the
 * study file, a road class, a column of a layer). */

/* The name of `names` (NULL-terminated) nearest to `word` by optimal string
 * alignment distance, ASCII case-insensitive, if it is near enough: at most
 * 1 edit for names of up to 4 bytes, 2 up to 8, 3 beyond; the first of
 * equally near names. NULL when none is; names over 63 bytes never are. */
const char *rti_suggest(const char *word, const char *const *names);

#endif
