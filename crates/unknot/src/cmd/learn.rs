//! `unknot learn` (the articles) and `unknot ask` (search across articles and exercises).

use anyhow::Result;
use clap::Args;
use comfy_table::{ContentArrangement, Table};
use serde::Serialize;
use unknot_core::catalogue::{Article, Catalogue};
use unknot_core::suggest;
use unknot_search::{HitKind, KnowledgeBase};

use crate::app::DataOptions;
use crate::exit::usage;
use crate::output;
use crate::term::{self, Style};

/// Arguments of `unknot learn`.
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  unknot learn\n  unknot learn heat-or-cold\n  unknot ask \"do knots go away on their own\""
)]
pub struct LearnArgs {
    /// The article to read; leave out to list every topic.
    pub id: Option<String>,

    /// Print JSON (the list, or the article with its Markdown body).
    #[arg(long)]
    pub json: bool,
}

#[derive(Serialize)]
struct Listed<'a> {
    id: &'a str,
    title: &'a str,
    summary: &'a str,
    tags: &'a [String],
}

/// `unknot learn`.
pub async fn learn(data: &DataOptions, args: LearnArgs) -> Result<()> {
    let catalogue = data.library()?;
    match args.id {
        None => list(&catalogue, args.json),
        Some(id) => read(&catalogue, &id, args.json),
    }
}

fn list(catalogue: &Catalogue, json: bool) -> Result<()> {
    let articles: Vec<&Article> = catalogue.articles().collect();
    if json {
        let listed: Vec<Listed> = articles
            .iter()
            .map(|a| Listed {
                id: &a.meta.id,
                title: &a.meta.title,
                summary: &a.meta.summary,
                tags: &a.meta.tags,
            })
            .collect();
        return output::json(&listed);
    }
    let mut table = Table::new();
    table
        .load_preset(output::TABLE_PRESET)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_header(vec!["id", "topic"]);
    for a in articles {
        table.add_row(vec![a.meta.id.clone(), a.meta.title.clone()]);
    }
    println!("{table}");
    println!("Read one with: unknot learn ID   ·   search with: unknot ask \"your question\"");
    Ok(())
}

fn read(catalogue: &Catalogue, id: &str, json: bool) -> Result<()> {
    let Some(a) = catalogue.article(id) else {
        let near = suggest::nearest(id, catalogue.article_ids());
        let hint = match near.as_slice() {
            [] => " (see `unknot learn` for the list, or try `unknot ask`)".to_string(),
            [one] => format!(" (did you mean {one}?)"),
            many => format!(" (did you mean one of: {}?)", many.join(", ")),
        };
        return Err(usage(format!("unknown article '{id}'{hint}")));
    };
    if json {
        return output::json(a);
    }
    let s = Style::detect();
    println!("{}", s.heading(&a.meta.title.to_uppercase()));
    println!("{}\n", s.dim(&s.wrap(&a.meta.summary, "", "")));
    println!("{}", term::markdown(&a.body, &s));
    if !a.meta.related.is_empty() {
        println!("\n{} {}", s.bold("Read next:"), a.meta.related.join(", "));
    }
    println!("\n{}", s.heading("Sources"));
    for src in &a.meta.sources {
        if let Some(source) = catalogue.source(src) {
            println!("{}", s.wrap(&source.citation(), "  • ", "    "));
        }
    }
    println!("{}", s.dim(&format!("Reviewed {}.", a.meta.reviewed)));
    println!("\n{}", s.dim(&s.wrap(output::NOT_A_DIAGNOSIS, "", "")));
    Ok(())
}

/// Arguments of `unknot ask`.
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  unknot ask \"ice or heat for a pulled back muscle\"\n  unknot ask best mattress for back pain"
)]
pub struct AskArgs {
    /// Your question, in your own words (quotes are optional).
    #[arg(required = true, num_args = 1..)]
    pub question: Vec<String>,

    /// How many answers to show.
    #[arg(long, default_value_t = 5, value_parser = clap::value_parser!(u8).range(1..=20))]
    pub limit: u8,

    /// Print the answers as JSON.
    #[arg(long)]
    pub json: bool,
}

/// `unknot ask`.
pub async fn ask(data: &DataOptions, args: AskArgs) -> Result<()> {
    let question = args.question.join(" ");
    if question.trim().is_empty() {
        return Err(usage(
            "ask a question, e.g. unknot ask \"do knots go away on their own\"",
        ));
    }
    let app = data.app().await?;
    let catalogue = app.catalogue().await?;
    app.close().await;
    let kb = KnowledgeBase::build(&catalogue)?;
    let hits = kb.search(&question, usize::from(args.limit))?;
    if args.json {
        return output::json(&hits);
    }
    if hits.is_empty() {
        println!(
            "Nothing in the library matches \"{question}\". Try other words, or list the topics with: unknot learn"
        );
        return Ok(());
    }
    let s = Style::detect();
    for (i, h) in hits.iter().enumerate() {
        let (kind, cmd) = match h.kind {
            HitKind::Article => ("article", format!("unknot learn {}", h.id)),
            HitKind::Exercise => ("exercise", format!("unknot library show {}", h.id)),
        };
        println!("{}", s.bold(&format!("{}. {}", i + 1, h.title)));
        println!("{}", s.wrap(&h.snippet, "   ", "   "));
        println!("   {}\n", s.dim(&format!("{kind} · {cmd}")));
    }
    Ok(())
}
