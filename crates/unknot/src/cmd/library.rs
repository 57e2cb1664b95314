//! `unknot library`: browse the exercises, show one, and add your own.

use std::path::PathBuf;

use anyhow::Result;
use clap::{Args, Subcommand};
use comfy_table::{ContentArrangement, Table};
use serde::Serialize;
use unknot_core::body::{Muscle, Region};
use unknot_core::catalogue::{
    CLINICIAN_SOURCE, Catalogue, Difficulty, Equipment, Exercise, ExerciseKind,
};

use crate::app::{self, DataOptions};
use crate::exit::usage;
use crate::term::Style;
use crate::{form, output};

fn id<T: std::str::FromStr<Err = unknot_core::InputError>>(s: &str) -> Result<T, String> {
    s.parse()
        .map_err(|e: unknot_core::InputError| e.to_string())
}

/// Arguments of `unknot library`.
#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true)]
#[command(
    after_help = "Examples:\n  unknot library --region upper-back --have massage-ball,wall\n  \
                        unknot library show bird-dog\n  unknot library add --file my-physio-stretch.toml"
)]
pub struct LibraryArgs {
    #[command(subcommand)]
    pub command: Option<LibraryCmd>,

    #[command(flatten)]
    pub filter: Filter,
}

/// Filters for the exercise list.
#[derive(Debug, Args, Default)]
pub struct Filter {
    /// Only exercises for this region (neck, upper-back, mid-back, lower-back, shoulders, …).
    #[arg(long, value_parser = id::<Region>)]
    pub region: Option<Region>,

    /// Only exercises for this muscle (e.g. rhomboids, quadratus-lumborum, piriformis).
    #[arg(long, value_parser = id::<Muscle>)]
    pub muscle: Option<Muscle>,

    /// Only this kind: stretch, strengthening, mobility, self-massage, posture, breathing.
    #[arg(long, value_parser = id::<ExerciseKind>)]
    pub kind: Option<ExerciseKind>,

    /// Only exercises that use this equipment (mat, foam-roller, massage-ball, resistance-band,
    /// wall, chair, doorway).
    #[arg(long, value_parser = id::<Equipment>)]
    pub equipment: Option<Equipment>,

    /// Only exercises you can do with what you have, e.g. --have mat,wall (none = nothing).
    #[arg(long, value_delimiter = ',', value_parser = id::<Equipment>)]
    pub have: Option<Vec<Equipment>>,

    /// Only this difficulty: gentle, moderate, demanding.
    #[arg(long, value_parser = id::<Difficulty>)]
    pub difficulty: Option<Difficulty>,

    /// Print the exercises as JSON.
    #[arg(long)]
    pub json: bool,
}

/// What `unknot library` can do besides listing.
#[derive(Debug, Subcommand)]
pub enum LibraryCmd {
    /// Show one exercise: steps, dosage, cautions, variants and sources.
    Show {
        /// The exercise id (see `unknot library`).
        id: String,
        /// Print it as JSON.
        #[arg(long, conflicts_with = "toml")]
        json: bool,
        /// Print it in the library's TOML format: a starting point for your own exercise.
        #[arg(long)]
        toml: bool,
    },
    /// Add your own exercise (one your physiotherapist gave you, say), from prompts or a file in
    /// the library's TOML format. It is checked like the built-in ones.
    Add {
        /// A TOML file in the library's format (see `unknot library show ID --toml` for one).
        #[arg(long, value_name = "FILE")]
        file: Option<PathBuf>,
        /// Replace your own exercise with the same id.
        #[arg(long)]
        replace: bool,
    },
    /// Draw every exercise's figure in a grid (a contact sheet) to check the library at a
    /// glance: SVG, or PNG rasterised here.
    Sheet {
        /// Where to write it: FILE.svg or FILE.png.
        #[arg(long, short, value_name = "FILE", default_value = "unknot-figures.svg")]
        out: PathBuf,
    },
    /// Remove one of your own exercises.
    Remove {
        /// Its id.
        id: String,
        /// Remove without asking.
        #[arg(long, short = 'y')]
        yes: bool,
    },
}

/// `unknot library`.
pub async fn run(data: &DataOptions, args: LibraryArgs) -> Result<()> {
    let app = data.app().await?;
    let catalogue = app.catalogue().await?;
    match args.command {
        None => list(&catalogue, &args.filter),
        Some(LibraryCmd::Show { id, toml: true, .. }) => {
            print!("{}", toml::to_string(find(&catalogue, &id)?)?);
            Ok(())
        }
        Some(LibraryCmd::Show { id, json, .. }) => show(&catalogue, &id, json),
        Some(LibraryCmd::Add { file, replace }) => {
            let text = match file {
                Some(path) => crate::files::read_text(&path, crate::files::MAX_SMALL_FILE_BYTES)?,
                None if app::interactive() => form::exercise(&catalogue)?,
                None => {
                    return Err(usage(
                        "give --file FILE, or run on a terminal to be asked step by step",
                    ));
                }
            };
            let e = app.add_exercise(text, replace).await?;
            println!(
                "Added {} to your library. See it with: unknot library show {}",
                e.id, e.id
            );
            Ok(())
        }
        Some(LibraryCmd::Sheet { out }) => sheet(&catalogue, &out),
        Some(LibraryCmd::Remove { id, yes }) => {
            if catalogue.origin(&id) != Some(&format!("your library/exercises/{id}.toml")) {
                return Err(usage(format!(
                    "'{id}' is not one of your own exercises; only those can be removed"
                )));
            }
            if !yes {
                if !app::interactive() {
                    return Err(usage(format!(
                        "not removing {id} without confirmation: pass --yes"
                    )));
                }
                if !form::confirm(&format!("Remove your exercise {id}?"))? {
                    return Ok(());
                }
            }
            app.remove_exercise(&id).await?;
            println!("Removed {id}.");
            Ok(())
        }
    }
}

fn list(catalogue: &Catalogue, f: &Filter) -> Result<()> {
    let chosen: Vec<&Exercise> = catalogue
        .exercises()
        .filter(|e| f.region.is_none_or(|r| e.regions.contains(&r)))
        .filter(|e| f.muscle.is_none_or(|m| e.muscles.contains(&m)))
        .filter(|e| f.kind.is_none_or(|k| e.kind == k))
        .filter(|e| f.equipment.is_none_or(|q| e.equipment.contains(&q)))
        .filter(|e| f.have.as_ref().is_none_or(|owned| e.fits_equipment(owned)))
        .filter(|e| f.difficulty.is_none_or(|d| e.difficulty == d))
        .collect();
    if f.json {
        return output::json(&chosen);
    }
    if chosen.is_empty() {
        println!("No exercise matches those filters.");
        return Ok(());
    }
    let mut table = Table::new();
    table
        .load_preset(output::TABLE_PRESET)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_header(vec!["id", "name", "kind", "level", "needs", "dose"]);
    for e in &chosen {
        let needs: Vec<&str> = e.equipment.iter().map(|q| q.label()).collect();
        table.add_row(vec![
            e.id.clone(),
            e.name.clone(),
            e.kind.label().to_string(),
            e.difficulty.label().to_string(),
            needs.join(", "),
            e.dosage.describe(),
        ]);
    }
    // Ids are typed back into commands: never wrap one, let the other columns wrap instead.
    // The column's width counts its padding too, so the widest id needs that much more.
    let widest = chosen.iter().map(|e| e.id.len()).max().unwrap_or(2);
    if let Some(col) = table.column_mut(0) {
        let width = u16::try_from(widest)
            .unwrap_or(u16::MAX)
            .saturating_add(col.padding_width());
        col.set_constraint(comfy_table::ColumnConstraint::LowerBoundary(
            comfy_table::Width::Fixed(width),
        ));
    }
    println!("{table}");
    let n = chosen.len();
    println!(
        "{n} exercise{}. Details: unknot library show ID",
        if n == 1 { "" } else { "s" }
    );
    Ok(())
}

/// An exercise with its sources spelled out, for `--json`.
#[derive(Serialize)]
struct Shown<'a> {
    #[serde(flatten)]
    exercise: &'a Exercise,
    origin: Option<&'a str>,
    minutes: f64,
    citations: Vec<String>,
}

fn find<'a>(catalogue: &'a Catalogue, id: &str) -> Result<&'a Exercise> {
    Ok(catalogue.find_exercise(id)?)
}

fn citations(catalogue: &Catalogue, ids: &[String]) -> Vec<String> {
    ids.iter()
        .map(|s| match catalogue.source(s) {
            Some(src) => src.citation(),
            None if s == CLINICIAN_SOURCE => {
                "Given to you by your own physiotherapist or doctor.".to_string()
            }
            None => s.clone(),
        })
        .collect()
}

fn show(catalogue: &Catalogue, id: &str, json: bool) -> Result<()> {
    let e = find(catalogue, id)?;
    let minutes = f64::from(e.dosage.total_seconds()) / 60.0;
    if json {
        return output::json(&Shown {
            exercise: e,
            origin: catalogue.origin(id),
            minutes: (minutes * 10.0).round() / 10.0,
            citations: citations(catalogue, &e.sources),
        });
    }
    let s = Style::detect();
    let needs: Vec<&str> = e.equipment.iter().map(|q| q.label()).collect();
    println!("{}", s.heading(&e.name));
    println!(
        "{}",
        s.dim(&format!(
            "{} · {} · {} · about {:.0} min",
            e.kind.label(),
            e.difficulty.label(),
            needs.join(", "),
            minutes.max(1.0)
        ))
    );
    println!("\n{}", s.wrap(&e.summary, "", ""));
    let regions: Vec<String> = e.regions.iter().map(|r| r.label().to_lowercase()).collect();
    let muscles: Vec<&str> = e.muscles.iter().map(|m| m.label()).collect();
    println!(
        "\n{} {}; {}",
        s.bold("Works on:"),
        regions.join(", "),
        muscles.join(", ")
    );
    println!("{} {}", s.bold("Dose:"), e.dosage.describe());
    println!("\n{}", s.heading("Steps"));
    for (i, step) in e.steps.iter().enumerate() {
        let n = format!("{:>2}. ", i + 1);
        println!("{}", s.wrap(step, &n, "    "));
    }
    for (title, items) in [
        ("Cues", &e.cues),
        ("Common mistakes", &e.mistakes),
        ("Do not do it if", &e.avoid_if),
        ("Stop if", &e.stop_if),
    ] {
        if !items.is_empty() {
            println!("\n{}", s.heading(title));
            for item in items {
                println!("{}", s.wrap(item, "  • ", "    "));
            }
        }
    }
    let names = |ids: &[String]| {
        ids.iter()
            .map(|v| {
                catalogue
                    .exercise(v)
                    .map_or(v.clone(), |x| format!("{} ({v})", x.name))
            })
            .collect::<Vec<_>>()
            .join(", ")
    };
    if !(e.easier.is_empty() && e.harder.is_empty() && e.articles.is_empty()) {
        println!();
    }
    if !e.easier.is_empty() {
        println!("{} {}", s.bold("Easier:"), names(&e.easier));
    }
    if !e.harder.is_empty() {
        println!("{} {}", s.bold("Harder:"), names(&e.harder));
    }
    if !e.articles.is_empty() {
        println!(
            "{} {}",
            s.bold("Read:"),
            e.articles
                .iter()
                .map(|a| format!("unknot learn {a}"))
                .collect::<Vec<_>>()
                .join(" · ")
        );
    }
    println!("\n{}", s.heading("Sources"));
    for c in citations(catalogue, &e.sources) {
        println!("{}", s.wrap(&c, "  • ", "    "));
    }
    println!("\n{}", s.dim(&s.wrap(output::NOT_A_DIAGNOSIS, "", "")));
    Ok(())
}

/// `unknot library sheet`: every figure in a grid, as SVG or PNG.
fn sheet(catalogue: &Catalogue, out: &std::path::Path) -> Result<()> {
    use unknot_export::figure_svg::{SheetItem, contact_sheet};
    let png = match out.extension().and_then(|e| e.to_str()) {
        Some(e) if e.eq_ignore_ascii_case("png") => true,
        Some(e) if e.eq_ignore_ascii_case("svg") => false,
        _ => {
            return Err(usage(format!(
                "--out {}: name a .svg or .png file",
                out.display()
            )));
        }
    };
    let items: Vec<SheetItem> = catalogue
        .exercises()
        .filter_map(|e| {
            e.figure.as_ref().map(|f| SheetItem {
                id: &e.id,
                name: &e.name,
                first_step: e.steps.first().map(String::as_str),
                figure: f,
            })
        })
        .collect();
    let without = catalogue.exercises().count() - items.len();
    let svg = contact_sheet(&items);
    let bytes = if png {
        let mut options = resvg::usvg::Options::default();
        let db = options.fontdb_mut();
        db.load_system_fonts();
        // Generic families map to Arial and friends by default; use whichever sans and mono
        // faces this system has, so the names show (the drawings need no fonts).
        let families: Vec<String> = db
            .faces()
            .flat_map(|f| f.families.iter().map(|(name, _)| name.clone()))
            .collect();
        let family = |wanted: &[&str]| -> Option<String> {
            wanted
                .iter()
                .find_map(|w| families.iter().find(|name| name == w).cloned())
        };
        if let Some(sans) = family(&["DejaVu Sans", "Liberation Sans", "Noto Sans", "FreeSans"]) {
            db.set_sans_serif_family(sans);
        }
        if let Some(mono) = family(&["DejaVu Sans Mono", "Liberation Mono", "Noto Sans Mono"]) {
            db.set_monospace_family(mono);
        }
        let tree = resvg::usvg::Tree::from_str(&svg, &options)
            .map_err(|e| anyhow::anyhow!("cannot draw the sheet: {e}"))?;
        let size = tree.size().to_int_size();
        let mut pixmap = resvg::tiny_skia::Pixmap::new(size.width(), size.height())
            .ok_or_else(|| anyhow::anyhow!("the sheet is too large to draw"))?;
        resvg::render(
            &tree,
            resvg::tiny_skia::Transform::default(),
            &mut pixmap.as_mut(),
        );
        pixmap
            .encode_png()
            .map_err(|e| anyhow::anyhow!("cannot encode the PNG: {e}"))?
    } else {
        svg.into_bytes()
    };
    crate::files::write_atomically(out, &bytes)?;
    println!(
        "Wrote {} ({} figures{}).",
        out.display(),
        items.len(),
        if without > 0 {
            format!("; {without} of your own exercises have none")
        } else {
            String::new()
        }
    );
    Ok(())
}
