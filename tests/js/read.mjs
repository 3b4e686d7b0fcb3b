// Reads a .bib with real JavaScript BibTeX readers and prints what each one got, as JSON.
//
//   node tests/js/read.mjs out.bib
//
// Readers (versions pinned in package.json, installed by `npm ci --prefix tests/js`):
//   citation-js        @citation-js/core + @citation-js/plugin-bibtex, the way `new Cite(text)` reads a
//                      file (input type detected: @biblatex/text, so `abstract` is mapped), to CSL-JSON
//   bbt                @retorquere/bibtex-parser, the parser inside Better BibTeX for Zotero, with
//                      sentence-casing off (the characters exactly as read)
//   bbt-sentence-case  the same parser with its defaults, as Better BibTeX imports by default
//                      (English titles sentence-cased, case protection "as-needed")
//
// Per reader: {version, errors: [...], entries: [{key, authors: [{given, family, prefix, suffix}],
// title, abstract}]}. Text is printed as the reader gave it, markup included (<i>, <sup>,
// <span class="nocase">); tests/test_js_readers.py decides what is right.

import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

import { Cite, plugins } from '@citation-js/core'
import '@citation-js/plugin-bibtex'
import { parse as bbtParse } from '@retorquere/bibtex-parser'

const here = dirname(fileURLToPath(import.meta.url))
const version = (name) => JSON.parse(readFileSync(join(here, 'node_modules', name, 'package.json'), 'utf8')).version

const text = readFileSync(process.argv[2], 'utf8')
const out = {}

function citationJs() {
  const errors = []
  const type = plugins.input.type(text)
  if (type !== '@biblatex/text') errors.push(`input type detected as ${type}`)
  const cite = new Cite(text)
  const entries = cite.data.map((item) => ({
    key: item['citation-key'] ?? item.id,
    authors: (item.author ?? []).map((name) => ({
      given: name.given ?? '',
      family: name.family ?? name.literal ?? '',
      prefix: [name['dropping-particle'], name['non-dropping-particle']].filter(Boolean).join(' '),
      suffix: name.suffix ?? '',
    })),
    title: item.title ?? null,
    abstract: item.abstract ?? null,
  }))
  return { version: `${version('@citation-js/core')}+plugin-bibtex@${version('@citation-js/plugin-bibtex')}`, errors, entries }
}

function bbt(options) {
  const library = bbtParse(text, options)
  const errors = library.errors.map((error) => error.error ?? JSON.stringify(error))
  const entries = library.entries.map((entry) => ({
    key: entry.key,
    authors: (entry.fields.author ?? []).map((name) => ({
      given: name.firstName ?? '',
      family: name.lastName ?? name.name ?? '',
      prefix: name.prefix ?? '',
      suffix: name.suffix ?? '',
    })),
    title: entry.fields.title ?? null,
    abstract: entry.fields.abstract ?? null,
  }))
  return { version: version('@retorquere/bibtex-parser'), errors, entries }
}

for (const [name, read] of [
  ['citation-js', citationJs],
  ['bbt', () => bbt({ sentenceCase: false })],
  ['bbt-sentence-case', () => bbt({})],
]) {
  try {
    out[name] = read()
  } catch (error) {
    out[name] = { version: null, errors: [`crashed: ${error && error.stack ? error.stack : error}`], entries: [] }
  }
}

process.stdout.write(JSON.stringify(out, null, 1) + '\n')
