"""The only code that writes files of its own: the cache of answers, the remembered keys, atomic writes."""
