//! Loading layers of content and the one validation pass over the result.
//!
//! Parsing rejects unknown fields, missing fields and unknown vocabulary ids (through serde).
//! The checks here cover what serde cannot: ids that match file names, cross-references between
//! exercises, articles and sources, sensible dosages, and protocol defaults within the hard
//! limits. Sources are held both ways: every source named by content or by code must exist, and
//! every source listed must be named somewhere. The "When to get help" article is generated
//! here from the triage rules, so it is validated like any other. Every problem is collected;
//! nothing stops at the first.

use std::collections::{BTreeMap, HashSet};

use super::therapy::{COLD_MAX_MINUTES, COLD_MIN_GAP_MINUTES, HEAT_MAX_MINUTES};
use super::vocab::Equipment;
use super::{
    Article, ArticleMeta, Catalogue, ContentError, ContentErrors, Exercise, Layer, Protocol,
    Source, Therapies, split_front_matter,
};

struct Loader {
    exercises: BTreeMap<String, (Exercise, String)>,
    /// Ids of exercises from the user's own layer, which may cite their clinician.
    user_exercises: HashSet<String>,
    articles: BTreeMap<String, (Article, String)>,
    sources: BTreeMap<String, (Source, String)>,
    therapies: Option<(Therapies, String)>,
    errors: Vec<ContentError>,
}

/// Longest id, in characters.
const MAX_ID_CHARS: usize = 64;
/// Longest exercise name, in characters.
const MAX_NAME_CHARS: usize = 100;
/// Longest summary or line of steps, cues, mistakes and cautions, in characters.
const MAX_LINE_CHARS: usize = 500;
/// Most lines in one list of an exercise.
const MAX_LINES: usize = 30;

fn err(file: &str, field: &str, message: impl Into<String>) -> ContentError {
    ContentError {
        file: file.to_string(),
        field: field.to_string(),
        message: message.into(),
    }
}

/// Turns a TOML error into a content error naming the field (where toml says which) and the
/// line.
fn toml_error(file: &str, text: &str, e: &toml::de::Error) -> ContentError {
    let message = e.message().trim().to_string();
    let field = message
        .split('`')
        .nth(1)
        .filter(|_| message.contains("field"))
        .unwrap_or("file")
        .to_string();
    let line = e
        .span()
        .map(|span| {
            format!(
                " (line {})",
                text[..span.start.min(text.len())].lines().count().max(1)
            )
        })
        .unwrap_or_default();
    err(file, &field, format!("{message}{line}"))
}

fn is_kebab(id: &str) -> bool {
    !id.is_empty()
        && !id.starts_with('-')
        && !id.ends_with('-')
        && !id.contains("--")
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

/// The exercise in `text` read with its `[figure]` table left out, if that makes it readable.
fn without_figure(text: &str) -> Option<Exercise> {
    let mut table: toml::Table = toml::from_str(text).ok()?;
    table.remove("figure")?;
    table.try_into().ok()
}

fn stem(path: &str) -> &str {
    let name = path.rsplit('/').next().unwrap_or(path);
    name.rsplit_once('.').map_or(name, |(s, _)| s)
}

pub(super) fn load(layers: &[Layer]) -> Result<Catalogue, ContentErrors> {
    let mut l = Loader {
        exercises: BTreeMap::new(),
        user_exercises: HashSet::new(),
        articles: BTreeMap::new(),
        sources: BTreeMap::new(),
        therapies: None,
        errors: Vec::new(),
    };
    for layer in layers {
        l.layer(layer);
    }
    l.add_help_page();
    l.check();
    if !l.errors.is_empty() {
        return Err(ContentErrors(l.errors));
    }
    let Some((therapies, _)) = l.therapies else {
        return Err(ContentErrors(vec![err(
            "therapies.toml",
            "file",
            "missing",
        )]));
    };
    let mut origins = BTreeMap::new();
    for (id, (_, file)) in &l.exercises {
        origins.insert(id.clone(), file.clone());
    }
    for (id, (_, file)) in &l.articles {
        origins.insert(id.clone(), file.clone());
    }
    Ok(Catalogue {
        exercises: l.exercises.into_iter().map(|(k, (v, _))| (k, v)).collect(),
        articles: l.articles.into_iter().map(|(k, (v, _))| (k, v)).collect(),
        sources: l.sources.into_iter().map(|(k, (v, _))| (k, v)).collect(),
        therapies,
        origins,
    })
}

/// "Finucane et al. 2020", "NICE NG59", "NHS: Back pain 2023": short enough to sit inside a
/// sentence, and distinct enough to find in the full list of sources.
fn short_citation(s: &Source) -> String {
    let year = s.year;
    let short_title = s.title.split(':').next().unwrap_or(&s.title).trim();
    if s.author
        .starts_with("National Institute for Health and Care Excellence")
    {
        return match s.title.split_once("NICE guideline ") {
            Some((_, code)) => format!("NICE {}", code.trim_end_matches(')')),
            None if s.title.contains("Clinical Knowledge Summary") => {
                format!("NICE CKS: {short_title} {year}")
            }
            None => format!("NICE: {short_title} {year}"),
        };
    }
    let first = s.author.split(", ").next().unwrap_or(&s.author);
    let is_person = first.rsplit(' ').next().is_some_and(|initials| {
        initials.len() <= 3 && initials.chars().all(|c| c.is_ascii_uppercase())
    });
    if is_person {
        let surname = first.rsplit_once(' ').map_or(first, |(name, _)| name);
        let others = if s.author.contains(", ") {
            " et al."
        } else {
            ""
        };
        return format!("{surname}{others} {year}");
    }
    // An organisation: the shorter of its name and the abbreviation in brackets.
    let org = match first.split_once(" (") {
        Some((name, rest)) => {
            let abbr = rest.trim_end_matches(')');
            if abbr.len() < name.len() { abbr } else { name }
        }
        None => first,
    };
    format!("{org}: {short_title} {year}")
}

fn help_page_meta(related: Vec<String>) -> ArticleMeta {
    ArticleMeta {
        id: crate::triage::HELP_PAGE_ID.to_string(),
        title: "When to get help: every warning sign unknot checks".to_string(),
        summary: "Every warning sign the safety check looks for, grouped by how soon to act, made from the same rules the check runs.".to_string(),
        tags: ["red-flags", "safety", "triage", "warning-signs"]
            .into_iter()
            .map(String::from)
            .collect(),
        questions: [
            "Which warning signs does unknot check for?",
            "How soon should I get help for these signs?",
            "Why does unknot tell me to see a doctor?",
        ]
        .into_iter()
        .map(String::from)
        .collect(),
        sources: crate::triage::help_page_sources()
            .into_iter()
            .map(String::from)
            .collect(),
        reviewed: jiff::civil::date(2026, 11, 30),
        related,
    }
}

impl Loader {
    fn layer(&mut self, layer: &Layer) {
        // Ids seen in this layer: a repeat inside one layer is always an error, while a later
        // layer may override an earlier one when `may_override` says so.
        let mut seen_here: HashSet<String> = HashSet::new();
        for file in &layer.files {
            let shown = if layer.origin == "built-in" {
                format!("content/{}", file.path)
            } else {
                format!("{}/{}", layer.origin.trim_end_matches('/'), file.path)
            };
            let path = file.path.as_str();
            if path == "sources.toml" {
                self.sources_file(layer, &file.text, &shown);
            } else if path == "therapies.toml" {
                self.therapies_file(layer, &file.text, shown);
            } else if let Some(name) = path
                .strip_prefix("exercises/")
                .filter(|n| n.ends_with(".toml"))
            {
                self.exercise_file(layer, name, &file.text, shown, &mut seen_here);
            } else if let Some(name) = path
                .strip_prefix("articles/")
                .filter(|n| n.ends_with(".md"))
            {
                self.article_file(layer, name, &file.text, shown, &mut seen_here);
            }
            // Other files (a README in a content folder, say) are not content and are left alone.
        }
    }

    /// `sources.toml`: the works that claims cite.
    fn sources_file(&mut self, layer: &Layer, text: &str, shown: &str) {
        match toml::from_str::<BTreeMap<String, Source>>(text) {
            Ok(sources) => {
                for (id, s) in sources {
                    if !layer.may_override && self.sources.contains_key(&id) {
                        self.errors
                            .push(err(shown, &id, "this source id is already defined"));
                    }
                    self.sources.insert(id, (s, shown.to_string()));
                }
            }
            Err(e) => self.errors.push(toml_error(shown, text, &e)),
        }
    }

    /// `therapies.toml`: the heat and cold protocols.
    fn therapies_file(&mut self, layer: &Layer, text: &str, shown: String) {
        if self.therapies.is_some() && !layer.may_override {
            self.errors
                .push(err(&shown, "file", "the protocols are already defined"));
        }
        match toml::from_str::<Therapies>(text) {
            Ok(t) => self.therapies = Some((t, shown)),
            Err(e) => self.errors.push(toml_error(&shown, text, &e)),
        }
    }

    /// `exercises/<id>.toml`: one exercise, whose id must match its file name.
    fn exercise_file(
        &mut self,
        layer: &Layer,
        name: &str,
        text: &str,
        shown: String,
        seen_here: &mut HashSet<String>,
    ) {
        let parsed = toml::from_str::<Exercise>(text).or_else(|e| {
            // A person's own exercise whose figure this version cannot read (an older
            // figure format) keeps working, without its drawing: never lock them out of
            // their library. `App::add_exercise` refuses a bad figure when it is added.
            if layer.user_content {
                without_figure(text).ok_or(e)
            } else {
                Err(e)
            }
        });
        let ex = match parsed {
            Ok(ex) => ex,
            Err(e) => {
                self.errors.push(toml_error(&shown, text, &e));
                return;
            }
        };
        if ex.id != stem(name) {
            self.errors.push(err(
                &shown,
                "id",
                format!("'{}' does not match the file name '{}'", ex.id, name),
            ));
        }
        if !seen_here.insert(format!("exercise:{}", ex.id)) {
            self.errors.push(err(
                &shown,
                "id",
                format!("duplicate exercise id '{}'", ex.id),
            ));
        } else if self.exercises.contains_key(&ex.id) && !layer.may_override {
            self.errors.push(err(
                &shown,
                "id",
                format!(
                    "'{}' is already the id of another exercise; choose a new id",
                    ex.id
                ),
            ));
        }
        if layer.user_content {
            self.user_exercises.insert(ex.id.clone());
        } else {
            self.user_exercises.remove(&ex.id);
        }
        self.exercises.insert(ex.id.clone(), (ex, shown));
    }

    /// `articles/<id>.md`: TOML front matter between `+++` lines, then the Markdown body.
    fn article_file(
        &mut self,
        layer: &Layer,
        name: &str,
        text: &str,
        shown: String,
        seen_here: &mut HashSet<String>,
    ) {
        let Some((front, body)) = split_front_matter(text) else {
            self.errors.push(err(
                &shown,
                "file",
                "expected TOML front matter between +++ lines",
            ));
            return;
        };
        let meta = match toml::from_str::<ArticleMeta>(front) {
            Ok(meta) => meta,
            Err(e) => {
                // The front matter starts on the file's second line (after `+++`), so a
                // leading newline keeps the reported line numbers true.
                self.errors
                    .push(toml_error(&shown, &format!("\n{front}"), &e));
                return;
            }
        };
        if meta.id != stem(name) {
            self.errors.push(err(
                &shown,
                "id",
                format!("'{}' does not match the file name '{}'", meta.id, name),
            ));
        }
        if !seen_here.insert(format!("article:{}", meta.id)) {
            self.errors.push(err(
                &shown,
                "id",
                format!("duplicate article id '{}'", meta.id),
            ));
        } else if self.articles.contains_key(&meta.id) && !layer.may_override {
            self.errors.push(err(
                &shown,
                "id",
                format!("'{}' is already an article id", meta.id),
            ));
        }
        let article = Article {
            meta,
            body: body.to_string(),
        };
        self.articles
            .insert(article.meta.id.clone(), (article, shown));
    }

    /// A person's own exercise whose figure fails the figure checks loses the drawing rather
    /// than the whole library failing to load (built-in and content-folder figures must pass).
    fn relax_user_figures(&mut self) {
        for id in &self.user_exercises {
            if let Some((ex, _)) = self.exercises.get_mut(id)
                && ex
                    .figure
                    .as_ref()
                    .is_some_and(|f| !crate::figure::check(f).is_empty())
            {
                ex.figure = None;
            }
        }
    }

    fn check(&mut self) {
        self.relax_user_figures();
        let mut errors = Vec::new();
        for (id, (s, file)) in &self.sources {
            let e = |f: &str, m: &str| err(file, &format!("{id}.{f}"), m);
            if !is_kebab(id) {
                errors.push(err(file, id, "source ids are kebab-case"));
            }
            if s.title.trim().is_empty() {
                errors.push(e("title", "is empty"));
            }
            if s.author.trim().is_empty() {
                errors.push(e("author", "is empty"));
            }
            if !(1900..=2100).contains(&s.year) {
                errors.push(e("year", "is not a plausible year"));
            }
        }
        for (id, (ex, file)) in &self.exercises {
            self.check_exercise(id, ex, file, &mut errors);
        }
        for (id, (a, file)) in &self.articles {
            let m = &a.meta;
            if !is_kebab(id) {
                errors.push(err(file, "id", "ids are kebab-case"));
            }
            for (field, text) in [("title", &m.title), ("summary", &m.summary)] {
                if text.trim().is_empty() {
                    errors.push(err(file, field, "is empty"));
                }
            }
            if m.questions.is_empty() {
                errors.push(err(
                    file,
                    "questions",
                    "list at least one question the article answers",
                ));
            }
            if m.tags.is_empty() {
                errors.push(err(file, "tags", "give at least one tag"));
            }
            self.check_sources(&m.sources, file, &mut errors);
            for r in &m.related {
                if !self.articles.contains_key(r) {
                    errors.push(err(file, "related", format!("unknown article '{r}'")));
                }
            }
            if a.body.trim().len() < 200 {
                errors.push(err(file, "body", "is missing or too short to be useful"));
            }
        }
        match &self.therapies {
            Some((t, file)) => self.check_therapies(t, file, &mut errors),
            None => errors.push(err(
                "therapies.toml",
                "file",
                "missing: the heat and cold protocols are required",
            )),
        }
        self.check_cited(&mut errors);
        self.errors.extend(errors);
    }

    /// Every source code names exists, and every source listed is named by content or code.
    fn check_cited(&self, errors: &mut Vec<ContentError>) {
        let code = super::cited::cited_in_code();
        for (place, id) in &code {
            if !self.sources.contains_key(*id) {
                errors.push(err(
                    "code",
                    place,
                    format!("unknown source '{id}' (add it to sources.toml)"),
                ));
            }
        }
        let mut named: HashSet<&str> = code.iter().map(|(_, id)| *id).collect();
        for (ex, _) in self.exercises.values() {
            named.extend(ex.sources.iter().map(String::as_str));
        }
        for (a, _) in self.articles.values() {
            named.extend(a.meta.sources.iter().map(String::as_str));
        }
        if let Some((t, _)) = &self.therapies {
            for list in [&t.cold.sources, &t.heat.sources, &t.contrast.sources]
                .into_iter()
                .chain(t.guidance.iter().map(|g| &g.sources))
            {
                named.extend(list.iter().map(String::as_str));
            }
        }
        for (id, (_, file)) in &self.sources {
            if !named.contains(id.as_str()) {
                errors.push(err(
                    file,
                    id,
                    "no content or code cites this source: cite it or remove it",
                ));
            }
        }
    }

    /// Adds the "When to get help" article, rendered from the triage rules. Content may not
    /// define an article with its id: the page must say what the rules do.
    fn add_help_page(&mut self) {
        let id = crate::triage::HELP_PAGE_ID;
        if let Some((_, file)) = self.articles.get(id) {
            self.errors.push(err(
                file,
                "id",
                format!("'{id}' is generated from the triage rules; remove this file"),
            ));
            return;
        }
        let cite = |s: &str| {
            self.sources
                .get(s)
                .map_or_else(|| s.to_string(), |(src, _)| short_citation(src))
        };
        let body = crate::triage::help_page(&cite);
        let related = ["when-to-see-a-doctor", "which-professional-and-preparing"]
            .into_iter()
            .filter(|r| self.articles.contains_key(*r))
            .map(String::from)
            .collect();
        let meta = help_page_meta(related);
        self.articles.insert(
            id.to_string(),
            (
                Article { meta, body },
                "generated from the triage rules".to_string(),
            ),
        );
    }

    fn check_sources(&self, sources: &[String], file: &str, errors: &mut Vec<ContentError>) {
        self.check_sources_for(sources, file, false, errors);
    }

    fn check_sources_for(
        &self,
        sources: &[String],
        file: &str,
        user: bool,
        errors: &mut Vec<ContentError>,
    ) {
        if sources.is_empty() {
            errors.push(err(
                file,
                "sources",
                "name at least one source (a guideline, review or trial)",
            ));
        }
        for s in sources {
            if user && s == super::CLINICIAN_SOURCE {
                continue;
            }
            if !self.sources.contains_key(s) {
                errors.push(err(
                    file,
                    "sources",
                    format!("unknown source '{s}' (add it to sources.toml)"),
                ));
            }
        }
    }

    fn check_exercise(&self, id: &str, ex: &Exercise, file: &str, errors: &mut Vec<ContentError>) {
        if !is_kebab(id) {
            errors.push(err(file, "id", "ids are kebab-case"));
        }
        for (field, text) in [("name", &ex.name), ("summary", &ex.summary)] {
            if text.trim().is_empty() {
                errors.push(err(file, field, "is empty"));
            }
        }
        Self::check_exercise_text(ex, file, errors);
        if ex.steps.len() < 2 {
            errors.push(err(file, "steps", "give at least two steps"));
        }
        if ex.cues.is_empty() {
            errors.push(err(file, "cues", "give at least one cue"));
        }
        for (field, list) in [
            ("steps", &ex.steps),
            ("cues", &ex.cues),
            ("mistakes", &ex.mistakes),
            ("avoid_if", &ex.avoid_if),
            ("stop_if", &ex.stop_if),
        ] {
            if list.iter().any(|s| s.trim().is_empty()) {
                errors.push(err(file, field, "has an empty line"));
            }
        }
        if ex.regions.is_empty() {
            errors.push(err(file, "regions", "name at least one region"));
        }
        if ex.muscles.is_empty() {
            errors.push(err(file, "muscles", "name at least one muscle"));
        }
        if ex.equipment.is_empty() {
            errors.push(err(file, "equipment", "say what it needs, or [\"none\"]"));
        } else if ex.equipment.contains(&Equipment::None) && ex.equipment.len() > 1 {
            errors.push(err(
                file,
                "equipment",
                "\"none\" cannot be combined with other equipment",
            ));
        }
        if let Some(fig) = &ex.figure {
            if let Some(h) = &fig.highlight
                && h.parse::<crate::body::Region>().is_err()
                && h.parse::<crate::body::Muscle>().is_err()
            {
                errors.push(err(
                    file,
                    "figure.highlight",
                    format!("'{h}' is neither a region nor a muscle id"),
                ));
            }
            for p in crate::figure::check(fig) {
                let field = if p.keyframe == 0 {
                    "figure".to_string()
                } else {
                    format!("figure.keyframes[{}]", p.keyframe)
                };
                errors.push(err(file, &field, p.message));
            }
        }
        let d = &ex.dosage;
        if d.hold_seconds.is_none() && d.reps.is_none() {
            errors.push(err(file, "dosage", "give hold_seconds, reps, or both"));
        }
        for (field, range, max) in [
            ("dosage.hold_seconds", d.hold_seconds, 600),
            ("dosage.reps", d.reps, 50),
        ] {
            if let Some([lo, hi]) = range
                && (lo == 0 || lo > hi || hi > max)
            {
                errors.push(err(
                    file,
                    field,
                    format!("must be [least, most] with 0 < least <= most <= {max}"),
                ));
            }
        }
        if !(1..=6).contains(&d.sets) {
            errors.push(err(file, "dosage.sets", "must be from 1 to 6"));
        }
        if d.rest_seconds > 300 {
            errors.push(err(file, "dosage.rest_seconds", "must be at most 300"));
        }
        for (field, list) in [("easier", &ex.easier), ("harder", &ex.harder)] {
            for v in list {
                if v == id {
                    errors.push(err(file, field, "an exercise cannot be its own variant"));
                } else if !self.exercises.contains_key(v) {
                    errors.push(err(file, field, format!("unknown exercise '{v}'")));
                }
            }
        }
        for a in &ex.articles {
            if !self.articles.contains_key(a) {
                errors.push(err(file, "articles", format!("unknown article '{a}'")));
            }
        }
        self.check_sources_for(&ex.sources, file, self.user_exercises.contains(id), errors);
    }

    /// The text rules every text field follows: lengths a page can show, list sizes a person
    /// can read, and no control characters (which a terminal would obey and PostgreSQL refuses
    /// in part).
    fn check_exercise_text(ex: &Exercise, file: &str, errors: &mut Vec<ContentError>) {
        for (field, text, max) in [
            ("id", &ex.id, MAX_ID_CHARS),
            ("name", &ex.name, MAX_NAME_CHARS),
            ("summary", &ex.summary, MAX_LINE_CHARS),
        ] {
            if text.chars().count() > max {
                errors.push(err(file, field, format!("keep it to {max} characters")));
            }
            if let Some(c) = text.chars().find(|c| c.is_control()) {
                errors.push(err(
                    file,
                    field,
                    format!("holds a control character (U+{:04X})", u32::from(c)),
                ));
            }
        }
        for (field, list) in [
            ("steps", &ex.steps),
            ("cues", &ex.cues),
            ("mistakes", &ex.mistakes),
            ("avoid_if", &ex.avoid_if),
            ("stop_if", &ex.stop_if),
        ] {
            if list.len() > MAX_LINES {
                errors.push(err(file, field, format!("at most {MAX_LINES} lines")));
            }
            if list.iter().any(|s| s.chars().count() > MAX_LINE_CHARS) {
                errors.push(err(
                    file,
                    field,
                    format!("keep each line to {MAX_LINE_CHARS} characters"),
                ));
            }
            if let Some(c) = list.iter().flat_map(|s| s.chars()).find(|c| c.is_control()) {
                errors.push(err(
                    file,
                    field,
                    format!("holds a control character (U+{:04X})", u32::from(c)),
                ));
            }
        }
    }

    fn check_therapies(&self, t: &Therapies, file: &str, errors: &mut Vec<ContentError>) {
        let mut protocol = |name: &str, p: &Protocol, max: u16| {
            let f = |field: &str| format!("{name}.{field}");
            if p.default_minutes == 0 || p.default_minutes > p.max_minutes {
                errors.push(err(
                    file,
                    &f("default_minutes"),
                    format!(
                        "must be above 0 and at most max_minutes ({})",
                        p.max_minutes
                    ),
                ));
            }
            if p.max_minutes > max {
                errors.push(err(
                    file,
                    &f("max_minutes"),
                    format!("the hard limit for {name} is {max} minutes"),
                ));
            }
            if p.barrier.trim().is_empty() {
                errors.push(err(
                    file,
                    &f("barrier"),
                    "say what goes between the pack and the skin",
                ));
            }
            if p.steps.len() < 2 {
                errors.push(err(file, &f("steps"), "give at least two steps"));
            }
            if p.stop_if.is_empty() {
                errors.push(err(file, &f("stop_if"), "say when to stop"));
            }
            (p.sources.clone(), f("sources"))
        };
        let mut refs = vec![
            protocol("cold", &t.cold, COLD_MAX_MINUTES),
            protocol("heat", &t.heat, HEAT_MAX_MINUTES),
        ];
        if t.cold.min_gap_minutes < COLD_MIN_GAP_MINUTES {
            errors.push(err(
                file,
                "cold.min_gap_minutes",
                format!("must be at least {COLD_MIN_GAP_MINUTES}"),
            ));
        }
        let c = &t.contrast;
        if c.heat_minutes == 0 || c.heat_minutes > HEAT_MAX_MINUTES {
            errors.push(err(
                file,
                "contrast.heat_minutes",
                format!("must be from 1 to {HEAT_MAX_MINUTES}"),
            ));
        }
        if c.cold_minutes == 0 || c.cold_minutes > COLD_MAX_MINUTES {
            errors.push(err(
                file,
                "contrast.cold_minutes",
                format!("must be from 1 to {COLD_MAX_MINUTES}"),
            ));
        }
        if u16::from(c.rounds) * c.cold_minutes > COLD_MAX_MINUTES {
            errors.push(err(
                file,
                "contrast.rounds",
                format!("all cold phases together must stay within {COLD_MAX_MINUTES} minutes"),
            ));
        }
        if !(1..=6).contains(&c.rounds) {
            errors.push(err(file, "contrast.rounds", "must be from 1 to 6"));
        }
        refs.push((c.sources.clone(), "contrast.sources".to_string()));
        if t.guidance.is_empty() {
            errors.push(err(
                file,
                "guidance",
                "say when to prefer heat and when cold",
            ));
        }
        for (i, g) in t.guidance.iter().enumerate() {
            refs.push((g.sources.clone(), format!("guidance[{i}].sources")));
        }
        for (sources, field) in refs {
            if sources.is_empty() {
                errors.push(err(file, &field, "name at least one source"));
            }
            for s in sources {
                if !self.sources.contains_key(&s) {
                    errors.push(err(file, &field, format!("unknown source '{s}'")));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Catalogue, ContentFile, Layer, builtin};

    fn builtin_text(path: &str) -> String {
        builtin()
            .files
            .into_iter()
            .find(|f| f.path == path)
            .map(|f| f.text)
            .unwrap_or_else(|| panic!("{path} is not built in"))
    }

    /// Loads the built-in library with one overlay folder holding `files`, and returns every
    /// problem as "file: field: message" lines.
    fn problems(files: Vec<(&str, String)>) -> Vec<String> {
        let overlay = Layer {
            origin: "overlay".to_string(),
            files: files
                .into_iter()
                .map(|(p, t)| ContentFile::new(p, t))
                .collect(),
            may_override: true,
            user_content: false,
        };
        match Catalogue::load(&[builtin(), overlay]) {
            Ok(_) => Vec::new(),
            Err(e) => e.0.iter().map(ToString::to_string).collect(),
        }
    }

    fn assert_problem(problems: &[String], file: &str, field: &str, needle: &str) {
        assert!(
            problems
                .iter()
                .any(|p| p.starts_with(&format!("overlay/{file}: {field}:")) && p.contains(needle)),
            "expected a problem in {file} / {field} mentioning {needle:?}; got {problems:#?}"
        );
    }

    fn bird_dog() -> String {
        builtin_text("exercises/bird-dog.toml")
    }

    #[test]
    fn a_clean_overlay_loads_and_overrides() {
        let text = bird_dog().replace(
            "name = \"Bird dog\"",
            "name = \"Bird dog (physio's version)\"",
        );
        let overlay = Layer {
            origin: "overlay".into(),
            files: vec![ContentFile::new("exercises/bird-dog.toml", text)],
            may_override: true,
            user_content: false,
        };
        let c = Catalogue::load(&[builtin(), overlay]).unwrap();
        assert_eq!(
            c.exercise("bird-dog").unwrap().name,
            "Bird dog (physio's version)"
        );
        assert_eq!(
            c.origin("bird-dog"),
            Some("overlay/exercises/bird-dog.toml")
        );
    }

    #[test]
    fn unknown_fields_are_refused_with_their_name() {
        let text = bird_dog().replace("difficulty = ", "colour = \"blue\"\ndifficulty = ");
        assert_problem(
            &problems(vec![("exercises/bird-dog.toml", text)]),
            "exercises/bird-dog.toml",
            "colour",
            "unknown field",
        );
    }

    #[test]
    fn unknown_ids_are_refused() {
        let text = bird_dog().replace("\"multifidus\",", "\"multifidis\",");
        let p = problems(vec![("exercises/bird-dog.toml", text)]);
        assert!(
            p.iter()
                .any(|p| p.contains("multifidis") && p.contains("did you mean multifidus")),
            "{p:#?}"
        );
        let text = bird_dog().replace("cautions = [\"wrist-pain\"", "cautions = [\"wrist-ache\"");
        let p = problems(vec![("exercises/bird-dog.toml", text)]);
        assert!(p.iter().any(|p| p.contains("wrist-ache")), "{p:#?}");
    }

    #[test]
    fn missing_required_fields_are_refused() {
        let text: String = bird_dog()
            .lines()
            .filter(|l| !l.starts_with("sources ="))
            .collect::<Vec<_>>()
            .join("\n");
        assert_problem(
            &problems(vec![("exercises/bird-dog.toml", text)]),
            "exercises/bird-dog.toml",
            "sources",
            "missing field",
        );
    }

    #[test]
    fn broken_cross_references_are_refused() {
        let text = bird_dog().replace("easier = [\"heel-taps\"]", "easier = [\"heel-tapz\"]");
        assert_problem(
            &problems(vec![("exercises/bird-dog.toml", text)]),
            "exercises/bird-dog.toml",
            "easier",
            "heel-tapz",
        );
        let text = bird_dog().replace(
            "articles = [\"strengthening-for-back-pain\"]",
            "articles = [\"no-such-article\"]",
        );
        assert_problem(
            &problems(vec![("exercises/bird-dog.toml", text)]),
            "exercises/bird-dog.toml",
            "articles",
            "no-such-article",
        );
        let text = bird_dog().replace("sources = [\"mcgill-2016\"", "sources = [\"made-up-2099\"");
        assert_problem(
            &problems(vec![("exercises/bird-dog.toml", text)]),
            "exercises/bird-dog.toml",
            "sources",
            "made-up-2099",
        );
        let article = builtin_text("articles/what-are-knots.md")
            .replace("\"knots-by-muscle\"]", "\"knots-by-muscel\"]");
        assert_problem(
            &problems(vec![("articles/what-are-knots.md", article)]),
            "articles/what-are-knots.md",
            "related",
            "knots-by-muscel",
        );
    }

    #[test]
    fn duplicate_ids_are_refused() {
        let copy = bird_dog();
        let p = problems(vec![
            ("exercises/bird-dog.toml", copy.clone()),
            ("exercises/bird-dog-2.toml", copy),
        ]);
        assert!(
            p.iter()
                .any(|p| p.contains("duplicate exercise id 'bird-dog'")),
            "{p:#?}"
        );
        // The user's own exercises may not shadow a built-in one.
        let mine = Layer::user(&[super::super::UserExercise {
            id: "bird-dog".into(),
            toml: bird_dog(),
        }]);
        let err = Catalogue::load(&[builtin(), mine]).unwrap_err().to_string();
        assert!(err.contains("already the id of another exercise"), "{err}");
    }

    #[test]
    fn entries_without_sources_are_refused() {
        let text = bird_dog().replace(
            "sources = [\"mcgill-2016\", \"cochrane-exercise-2021\"]",
            "sources = []",
        );
        assert_problem(
            &problems(vec![("exercises/bird-dog.toml", text)]),
            "exercises/bird-dog.toml",
            "sources",
            "at least one source",
        );
        let article = builtin_text("articles/what-are-knots.md").replace(
            "sources = [\"travell-simons-1999\", \"travell-simons-1992\", \"shah-2015\"]",
            "sources = []",
        );
        assert_problem(
            &problems(vec![("articles/what-are-knots.md", article)]),
            "articles/what-are-knots.md",
            "sources",
            "at least one source",
        );
    }

    #[test]
    fn therapy_defaults_above_their_limits_are_refused() {
        let t = builtin_text("therapies.toml");
        let cold = t.replacen(
            "default_minutes = 15\nmax_minutes = 20",
            "default_minutes = 25\nmax_minutes = 25",
            1,
        );
        let p = problems(vec![("therapies.toml", cold)]);
        assert_problem(
            &p,
            "therapies.toml",
            "cold.max_minutes",
            "hard limit for cold is 20",
        );
        let heat = t.replacen(
            "default_minutes = 20\nmax_minutes = 30",
            "default_minutes = 40\nmax_minutes = 30",
            1,
        );
        assert_problem(
            &problems(vec![("therapies.toml", heat)]),
            "therapies.toml",
            "heat.default_minutes",
            "at most max_minutes",
        );
        let gap = t.replacen("min_gap_minutes = 120", "min_gap_minutes = 10", 1);
        assert_problem(
            &problems(vec![("therapies.toml", gap)]),
            "therapies.toml",
            "cold.min_gap_minutes",
            "at least 60",
        );
    }

    #[test]
    fn ids_must_match_file_names_and_dosages_must_make_sense() {
        let p = problems(vec![(
            "exercises/other-name.toml",
            bird_dog().replace("\"Bird dog\"", "\"Other\""),
        )]);
        assert!(
            p.iter().any(|p| p.contains("does not match the file name")),
            "{p:#?}"
        );
        let text = bird_dog().replace("reps = [6, 8]", "reps = [8, 6]");
        assert_problem(
            &problems(vec![("exercises/bird-dog.toml", text)]),
            "exercises/bird-dog.toml",
            "dosage.reps",
            "least <= most",
        );
    }

    #[test]
    fn a_source_named_in_code_must_exist() {
        let mut layer = builtin();
        for f in &mut layer.files {
            if f.path == "sources.toml" {
                let start = f.text.find("[ostelo-2008]").unwrap();
                let end = f.text[start + 1..]
                    .find("\n[")
                    .map_or(f.text.len(), |e| start + 1 + e);
                f.text.replace_range(start..end, "");
            }
        }
        let err = Catalogue::load(&[layer]).unwrap_err().to_string();
        assert!(
            err.contains("code: outcome measure") && err.contains("unknown source 'ostelo-2008'"),
            "{err}"
        );
        assert!(err.contains("review rule no_improvement"), "{err}");
    }

    #[test]
    fn a_source_nobody_cites_is_refused() {
        let extra = format!(
            "{}\n[orphan-2099]\ntitle = \"Nothing cites this\"\nauthor = \"Nobody\"\nyear = 2099\npublished = \"Nowhere\"\nkind = \"review\"\n",
            builtin_text("sources.toml")
        );
        let p = problems(vec![("sources.toml", extra)]);
        assert_problem(
            &p,
            "sources.toml",
            "orphan-2099",
            "no content or code cites",
        );
    }

    #[test]
    fn the_help_page_is_generated_and_cannot_be_replaced() {
        let c = Catalogue::builtin().unwrap();
        let page = c.article(crate::triage::HELP_PAGE_ID).unwrap();
        for rule in crate::triage::RULES {
            assert!(
                page.body.contains(rule.sign),
                "{} is not on the page",
                rule.code
            );
            for s in rule.sources {
                assert!(page.meta.sources.iter().any(|m| m == s), "{s} missing");
            }
        }
        let fake = builtin_text("articles/what-are-knots.md")
            .replace("id = \"what-are-knots\"", "id = \"when-to-get-help\"");
        let p = problems(vec![("articles/when-to-get-help.md", fake)]);
        assert_problem(
            &p,
            "articles/when-to-get-help.md",
            "id",
            "generated from the triage rules",
        );
    }

    #[test]
    fn every_problem_is_reported_in_one_pass() {
        let a = bird_dog().replace("easier = [\"heel-taps\"]", "easier = [\"nope-one\"]");
        let b = builtin_text("exercises/superman.toml")
            .replace("easier = [\"back-extension\"]", "easier = [\"nope-two\"]");
        let p = problems(vec![
            ("exercises/bird-dog.toml", a),
            ("exercises/superman.toml", b),
        ]);
        assert!(
            p.iter().any(|p| p.contains("nope-one")) && p.iter().any(|p| p.contains("nope-two")),
            "{p:#?}"
        );
    }

    #[test]
    fn a_persons_exercise_with_an_unreadable_figure_loads_without_it() {
        // An older figure format (or a figure that fails its checks) in a person's own exercise
        // costs the drawing, never the library.
        let text = builtin_text("exercises/bird-dog.toml")
            .replace("id = \"bird-dog\"", "id = \"my-bird-dog\"")
            .replace("[figure]", "[figure]\nlift = 3");
        let mine = super::super::UserExercise {
            id: "my-bird-dog".into(),
            toml: text.clone(),
        };
        let c = Catalogue::load(&[builtin(), Layer::user(&[mine])]).unwrap();
        let e = c.exercise("my-bird-dog").unwrap();
        assert!(e.figure.is_none());
        // The same text in a content folder is refused, with the field named.
        let p = problems(vec![("exercises/my-bird-dog.toml", text)]);
        assert!(p.iter().any(|p| p.contains("lift")), "{p:#?}");
    }
}

#[cfg(test)]
mod user_tests {
    use super::super::{CLINICIAN_SOURCE, Catalogue, Layer, UserExercise, builtin};

    fn mine(id: &str, sources: &str) -> UserExercise {
        let text = builtin()
            .files
            .into_iter()
            .find(|f| f.path == "exercises/bird-dog.toml")
            .map(|f| f.text)
            .unwrap()
            .replace("id = \"bird-dog\"", &format!("id = \"{id}\""))
            .replace(
                "sources = [\"mcgill-2016\", \"cochrane-exercise-2021\"]",
                sources,
            );
        UserExercise {
            id: id.to_string(),
            toml: text,
        }
    }

    #[test]
    fn user_exercises_follow_the_text_rules() {
        let base = mine("my-stretch", &format!("sources = [\"{CLINICIAN_SOURCE}\"]")).toml;
        for escape in ["\\u001b[2J", "\\u0000"] {
            let text = base.replacen("name = \"", &format!("name = \"{escape}"), 1);
            let layers = vec![
                builtin(),
                Layer::user(&[UserExercise {
                    id: "my-stretch".into(),
                    toml: text,
                }]),
            ];
            let e = Catalogue::load(&layers).unwrap_err().to_string();
            assert!(e.contains("name") && e.contains("control character"), "{e}");
        }
        let long = base.replacen("name = \"", &format!("name = \"{}", "n".repeat(200)), 1);
        let layers = vec![
            builtin(),
            Layer::user(&[UserExercise {
                id: "my-stretch".into(),
                toml: long,
            }]),
        ];
        let e = Catalogue::load(&layers).unwrap_err().to_string();
        assert!(e.contains("100 characters"), "{e}");
    }

    #[test]
    fn user_exercises_may_cite_their_clinician_but_built_ins_may_not() {
        let ok = mine(
            "physio-bird-dog",
            &format!("sources = [\"{CLINICIAN_SOURCE}\"]"),
        );
        let c = Catalogue::load(&[builtin(), Layer::user(&[ok])]).unwrap();
        assert_eq!(
            c.origin("physio-bird-dog"),
            Some("your library/exercises/physio-bird-dog.toml")
        );
        let empty = mine("physio-bird-dog", "sources = []");
        assert!(Catalogue::load(&[builtin(), Layer::user(&[empty])]).is_err());
        let mut overlay = Layer::user(&[mine(
            "x-dog",
            &format!("sources = [\"{CLINICIAN_SOURCE}\"]"),
        )]);
        overlay.user_content = false;
        let err = Catalogue::load(&[builtin(), overlay])
            .unwrap_err()
            .to_string();
        assert!(err.contains("unknown source 'my-clinician'"), "{err}");
    }
}
