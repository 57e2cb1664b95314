//! Full-text search over the knowledge base: articles and exercises, ranked by BM25.
//!
//! The index is built in memory from a [`Catalogue`] when a command or the web app starts (a
//! few milliseconds for the library's size), so it always matches the content actually loaded,
//! including a `--content-dir` overlay and the user's own exercises. Text fields go through an
//! English analyzer (lower case, stop words, Snowball stemming) so "stretches" finds
//! "stretching"; an unstemmed copy of the short fields takes fuzzy queries, so "matress" still
//! finds "mattress".

#![forbid(unsafe_code)]
#![deny(missing_docs)]
// In a library, `pub` should mean "part of the API": an item marked `pub` that no caller
// outside the crate can reach is an accident, so say `pub(crate)` for it.
#![warn(unreachable_pub)]

use std::collections::{HashMap, HashSet};

use serde::Serialize;
use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, BoostQuery, DisjunctionMaxQuery, Occur, Query, TermQuery};
use tantivy::schema::{
    Field, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions, Value,
};
use tantivy::snippet::SnippetGenerator;
use tantivy::tokenizer::{
    Language, LowerCaser, RemoveLongFilter, SimpleTokenizer, Stemmer, StopWordFilter, TextAnalyzer,
};
use tantivy::{Index, IndexReader, TantivyDocument, Term, doc};
use thiserror::Error;
use unknot_core::catalogue::Catalogue;

const STEMMED: &str = "unknot_en";
const PLAIN: &str = "unknot_plain";

/// Searching failed (a bug or resource problem, never the user's question).
#[derive(Debug, Error)]
#[error("search index error: {0}")]
pub struct SearchError(#[from] tantivy::TantivyError);

/// What a hit is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum HitKind {
    /// An article (`unknot learn ID`).
    Article,
    /// An exercise (`unknot library show ID`).
    Exercise,
}

/// One search result.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Hit {
    /// Article or exercise.
    pub kind: HitKind,
    /// Its id.
    pub id: String,
    /// Its title or name.
    pub title: String,
    /// A passage that matches the question (or the summary when no passage stands out).
    pub snippet: String,
    /// Relevance; higher is better. Comparable only within one search.
    pub score: f32,
}

struct Fields {
    id: Field,
    kind: Field,
    title: Field,
    questions: Field,
    summary: Field,
    tags: Field,
    body: Field,
    plain: Field,
}

/// The in-memory index.
pub struct KnowledgeBase {
    index: Index,
    reader: IndexReader,
    fields: Fields,
    summaries: HashMap<String, String>,
    /// Every unstemmed word in the index (the `plain` field holds all text, unstemmed), for
    /// correcting typos in questions.
    vocabulary: HashSet<String>,
}

/// Words that carry no topic in a question. Lucene's short English list misses the words
/// questions are made of ("should", "my", "does"), which otherwise match every title that
/// happens to be phrased as a question. Words that do carry meaning here ("when", "after",
/// "down", "up", "not") are deliberately absent.
const STOP_WORDS: &[&str] = &[
    "a", "about", "am", "an", "and", "any", "are", "as", "at", "be", "been", "but", "by", "can",
    "could", "did", "do", "does", "doing", "for", "from", "get", "gets", "getting", "go", "going",
    "got", "had", "has", "have", "having", "he", "her", "him", "his", "how", "i", "if", "in",
    "into", "is", "it", "its", "i'm", "just", "me", "might", "much", "my", "myself", "of", "on",
    "or", "our", "out", "really", "she", "should", "so", "some", "such", "t", "than", "that",
    "the", "their", "them", "then", "there", "these", "they", "this", "those", "to", "too", "us",
    "very", "was", "we", "were", "what", "which", "who", "whom", "why", "will", "with", "would",
    "you", "your", "s", "ok", "okay", "actually", "exactly", "people", "thing", "things",
];

fn analyzers(index: &Index) {
    let base = || {
        TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(RemoveLongFilter::limit(40))
            .filter(LowerCaser)
    };
    let stop = StopWordFilter::remove(STOP_WORDS.iter().map(|w| (*w).to_string()));
    let stemmed = base()
        .filter(stop)
        .filter(Stemmer::new(Language::English))
        .build();
    index.tokenizers().register(STEMMED, stemmed);
    index.tokenizers().register(PLAIN, base().build());
}

fn text(tokenizer: &str) -> TextOptions {
    TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(tokenizer)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions),
    )
}

/// How much a match in each field counts: a question an article says it answers, or its
/// title, says more than a passing mention in the body.
const BOOSTS: [(&str, f32); 5] = [
    ("title", 3.0),
    ("questions", 2.5),
    ("tags", 1.5),
    ("summary", 1.5),
    ("body", 1.0),
];

/// Exercises answer "how do I…" questions, but articles are the better first answer to most
/// questions; exercise scores are scaled by this before ranking.
const EXERCISE_WEIGHT: f32 = 0.75;

impl KnowledgeBase {
    /// Indexes every article and exercise in the catalogue.
    pub fn build(catalogue: &Catalogue) -> Result<KnowledgeBase, SearchError> {
        let mut sb = Schema::builder();
        let fields = Fields {
            id: sb.add_text_field("id", STRING | STORED),
            kind: sb.add_text_field("kind", STRING | STORED),
            title: sb.add_text_field("title", text(STEMMED).set_stored()),
            questions: sb.add_text_field("questions", text(STEMMED)),
            summary: sb.add_text_field("summary", text(STEMMED).set_stored()),
            tags: sb.add_text_field("tags", text(STEMMED)),
            body: sb.add_text_field("body", text(STEMMED).set_stored()),
            plain: sb.add_text_field("plain", text(PLAIN)),
        };
        let index = Index::create_in_ram(sb.build());
        analyzers(&index);
        let mut writer = index.writer_with_num_threads(1, 15_000_000)?;
        let mut summaries = HashMap::new();
        for a in catalogue.articles() {
            let m = &a.meta;
            let questions = m.questions.join("\n");
            let tags = m
                .tags
                .iter()
                .map(|t| t.replace('-', " "))
                .collect::<Vec<_>>()
                .join(" ");
            let body = strip_markdown(&a.body);
            let plain = format!("{} {} {} {} {}", m.title, questions, m.summary, tags, body);
            writer.add_document(doc!(
                fields.id => m.id.clone(),
                fields.kind => "article",
                fields.title => m.title.clone(),
                fields.questions => questions,
                fields.summary => m.summary.clone(),
                fields.tags => tags,
                fields.body => body,
                fields.plain => plain,
            ))?;
            summaries.insert(format!("article:{}", m.id), m.summary.clone());
        }
        for e in catalogue.exercises() {
            let mut tags: Vec<String> =
                vec![e.kind.label().to_string(), e.difficulty.label().to_string()];
            tags.extend(e.regions.iter().map(|r| r.label().to_string()));
            tags.extend(
                e.muscles
                    .iter()
                    .map(|m| format!("{} {}", m.label(), m.id().replace('-', " "))),
            );
            tags.extend(e.equipment.iter().map(|q| q.label().to_string()));
            let tags = tags.join(" ");
            let body = [
                e.steps.join(" "),
                e.cues.join(" "),
                e.mistakes.join(" "),
                e.avoid_if.join(" "),
            ]
            .join("\n");
            let plain = format!("{} {} {} {}", e.name, e.summary, tags, body);
            writer.add_document(doc!(
                fields.id => e.id.clone(),
                fields.kind => "exercise",
                fields.title => e.name.clone(),
                fields.questions => String::new(),
                fields.summary => e.summary.clone(),
                fields.tags => tags,
                fields.body => body,
                fields.plain => plain,
            ))?;
            summaries.insert(format!("exercise:{}", e.id), e.summary.clone());
        }
        writer.commit()?;
        let reader = index.reader()?;
        let mut vocabulary = HashSet::new();
        for segment in reader.searcher().segment_readers() {
            let inverted = segment.inverted_index(fields.plain)?;
            let mut stream = inverted
                .terms()
                .stream()
                .map_err(tantivy::TantivyError::from)?;
            while stream.advance() {
                if let Ok(word) = std::str::from_utf8(stream.key()) {
                    vocabulary.insert(word.to_string());
                }
            }
        }
        Ok(KnowledgeBase {
            index,
            reader,
            fields,
            summaries,
            vocabulary,
        })
    }

    fn tokens(&self, analyzer: &str, text: &str) -> Vec<String> {
        let mut out = Vec::new();
        if let Some(mut a) = self.index.tokenizers().get(analyzer) {
            let mut stream = a.token_stream(text);
            while stream.advance() {
                let t = stream.token().text.clone();
                if !out.contains(&t) {
                    out.push(t);
                }
            }
        }
        out
    }

    /// Replaces words the index has never seen with the closest word it has (one edit for
    /// short words, two for long ones), so "matress" searches for "mattress".
    fn correct(&self, question: &str) -> String {
        self.tokens(PLAIN, question)
            .into_iter()
            .map(|word| {
                let len = word.chars().count();
                if len < 4
                    || self.vocabulary.contains(&word)
                    || !word.chars().all(char::is_alphabetic)
                {
                    return word;
                }
                let allowed = if len >= 7 { 2 } else { 1 };
                self.vocabulary
                    .iter()
                    .map(|known| (strsim::damerau_levenshtein(&word, known), known))
                    .filter(|(d, _)| *d <= allowed)
                    .min_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.cmp(b.1)))
                    .map_or(word.clone(), |(_, known)| known.clone())
            })
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// The best matches for a question, best first; empty when nothing matches.
    pub fn search(&self, question: &str, limit: usize) -> Result<Vec<Hit>, SearchError> {
        let f = &self.fields;
        let field_of = |name: &str| match name {
            "title" => f.title,
            "questions" => f.questions,
            "tags" => f.tags,
            "summary" => f.summary,
            _ => f.body,
        };
        let corrected = self.correct(question);
        // One clause per word: the best-matching field counts in full and the others only a
        // little (a dis-max), so common words that appear in every field of every document do
        // not pile up score.
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for token in self.tokens(STEMMED, &corrected) {
            let per_field: Vec<Box<dyn Query>> = BOOSTS
                .iter()
                .map(|(name, boost)| {
                    let term = Term::from_field_text(field_of(name), &token);
                    Box::new(BoostQuery::new(
                        Box::new(TermQuery::new(term, IndexRecordOption::WithFreqs)),
                        *boost,
                    )) as Box<dyn Query>
                })
                .collect();
            clauses.push((
                Occur::Should,
                Box::new(DisjunctionMaxQuery::with_tie_breaker(per_field, 0.2)),
            ));
        }
        if clauses.is_empty() {
            return Ok(Vec::new());
        }
        let query = BooleanQuery::new(clauses);
        let searcher = self.reader.searcher();
        let top = searcher.search(
            &query,
            &TopDocs::with_limit(limit.max(1) * 4).order_by_score(),
        )?;
        let snippets = SnippetGenerator::create(&searcher, &query, f.body).map(|mut g| {
            g.set_max_num_chars(180);
            g
        });
        let mut hits = Vec::new();
        for (score, address) in top {
            let d: TantivyDocument = searcher.doc(address)?;
            let get = |field: Field| {
                d.get_first(field)
                    .and_then(|v| v.as_str())
                    .unwrap_or_default()
                    .to_string()
            };
            let kind = if get(f.kind) == "exercise" {
                HitKind::Exercise
            } else {
                HitKind::Article
            };
            let id = get(f.id);
            let weight = if kind == HitKind::Exercise {
                EXERCISE_WEIGHT
            } else {
                1.0
            };
            let fragment = snippets
                .as_ref()
                .map(|g| g.snippet_from_doc(&d).fragment().trim().to_string())
                .unwrap_or_default();
            let key = format!(
                "{}:{id}",
                if kind == HitKind::Exercise {
                    "exercise"
                } else {
                    "article"
                }
            );
            let snippet = if fragment.len() >= 40 {
                format!(
                    "…{}…",
                    fragment.split_whitespace().collect::<Vec<_>>().join(" ")
                )
            } else {
                self.summaries.get(&key).cloned().unwrap_or_default()
            };
            hits.push(Hit {
                kind,
                id,
                title: get(f.title),
                snippet,
                score: score * weight,
            });
        }
        hits.sort_by(|a, b| b.score.total_cmp(&a.score).then_with(|| a.id.cmp(&b.id)));
        hits.truncate(limit);
        Ok(hits)
    }
}

/// Markdown to plain text for indexing: headings, emphasis and list markers removed.
fn strip_markdown(md: &str) -> String {
    md.lines()
        .map(|l| {
            l.trim_start_matches(['#', '-', '*', '>', ' '])
                .trim_start_matches(|c: char| c.is_ascii_digit() || c == '.')
                .replace("**", "")
                .replace('`', "")
        })
        .collect::<Vec<_>>()
        .join("\n")
}
