//! The body model: regions of the back and the muscles where knots usually form.
//!
//! Everything else refers to these ids: journal entries, exercises, plans and exports. The ids
//! are stable forever; names are plain language. The muscle list follows the referred-pain maps
//! of Travell & Simons' *Trigger Point Manual* for the back, neck, shoulders and hips.

use crate::error::InputError;
use crate::ids::id_enum;

id_enum!(
    /// An area of the body where back pain is felt, or where it travels to.
    Region, "region", {
        /// The back and sides of the neck.
        Neck => ("neck", "Neck"),
        /// Between and around the shoulder blades.
        UpperBack => ("upper-back", "Upper back"),
        /// Below the shoulder blades, down to the bottom of the ribs.
        MidBack => ("mid-back", "Middle back"),
        /// From the bottom of the ribs to the top of the pelvis.
        LowerBack => ("lower-back", "Lower back"),
        /// The tops and backs of the shoulders.
        Shoulders => ("shoulders", "Shoulders"),
        /// The buttocks and the outside of the hips.
        Buttocks => ("buttocks", "Buttocks and hips"),
        /// Where neck and shoulder pain can travel.
        Arm => ("arm", "Arm"),
        /// Where lower-back and buttock pain can travel.
        Leg => ("leg", "Leg"),
        /// The front of the chest, where upper-back pain can travel.
        Chest => ("chest", "Chest"),
    }
);

impl Region {
    /// True for areas that are mainly where pain travels to (arm, leg, chest) rather than the
    /// back itself.
    pub fn is_referral_area(self) -> bool {
        matches!(self, Region::Arm | Region::Leg | Region::Chest)
    }
}

id_enum!(
    /// Which side of the body.
    Side, "side", {
        /// The left side.
        Left => ("left", "left"),
        /// The right side.
        Right => ("right", "right"),
        /// Both sides at once.
        Both => ("both", "both sides"),
        /// The middle, along the spine.
        Centre => ("centre", "centre"),
    }
);

impl Side {
    /// One letter for compact tables: L, R, B or C.
    pub fn letter(self) -> char {
        match self {
            Side::Left => 'L',
            Side::Right => 'R',
            Side::Both => 'B',
            Side::Centre => 'C',
        }
    }
}

id_enum!(
    /// A muscle where knots (myofascial trigger points) commonly form in back pain.
    Muscle, "muscle", {
        /// Top of the shoulder up to the base of the skull.
        UpperTrapezius => ("upper-trapezius", "Upper trapezius"),
        /// Side and back of the neck down to the top corner of the shoulder blade.
        LevatorScapulae => ("levator-scapulae", "Levator scapulae"),
        /// Small muscles under the base of the skull.
        Suboccipitals => ("suboccipitals", "Suboccipitals"),
        /// Between the spine and the shoulder blades.
        Rhomboids => ("rhomboids", "Rhomboids"),
        /// Across the upper back between the shoulder blades.
        MiddleTrapezius => ("middle-trapezius", "Middle trapezius"),
        /// From the middle of the back up to the shoulder blades.
        LowerTrapezius => ("lower-trapezius", "Lower trapezius"),
        /// The long muscles beside the spine in the middle back.
        ThoracicErectorSpinae => ("thoracic-erector-spinae", "Erector spinae (middle back)"),
        /// The long muscles beside the spine in the lower back.
        LumbarErectorSpinae => ("lumbar-erector-spinae", "Erector spinae (lower back)"),
        /// Small deep muscles right next to the spine in the lower back.
        Multifidus => ("multifidus", "Multifidus"),
        /// Deep in the side of the lower back, between the lowest rib and the pelvis.
        QuadratusLumborum => ("quadratus-lumborum", "Quadratus lumborum"),
        /// The broad muscle on the side of the back, from the armpit to the lower back.
        LatissimusDorsi => ("latissimus-dorsi", "Latissimus dorsi"),
        /// On the back of the shoulder blade.
        Infraspinatus => ("infraspinatus", "Infraspinatus"),
        /// Across the top of the shoulder blade.
        Supraspinatus => ("supraspinatus", "Supraspinatus"),
        /// On the front of the chest, under the large chest muscle.
        PectoralisMinor => ("pectoralis-minor", "Pectoralis minor"),
        /// The large muscle of the buttock.
        GluteusMaximus => ("gluteus-maximus", "Gluteus maximus"),
        /// On the outside of the hip, below the rim of the pelvis.
        GluteusMedius => ("gluteus-medius", "Gluteus medius"),
        /// Deep in the buttock, from the base of the spine to the top of the thigh bone.
        Piriformis => ("piriformis", "Piriformis"),
        /// The deep hip flexor, from the lower spine to the front of the thigh.
        Iliopsoas => ("iliopsoas", "Iliopsoas (hip flexor)"),
        /// The back of the thigh.
        Hamstrings => ("hamstrings", "Hamstrings"),
    }
);

impl Muscle {
    /// The region where the muscle lies (and where its knot is usually felt).
    pub fn region(self) -> Region {
        use Muscle::*;
        match self {
            UpperTrapezius | Infraspinatus | Supraspinatus => Region::Shoulders,
            LevatorScapulae | Suboccipitals => Region::Neck,
            Rhomboids | MiddleTrapezius => Region::UpperBack,
            LowerTrapezius | ThoracicErectorSpinae | LatissimusDorsi => Region::MidBack,
            LumbarErectorSpinae | Multifidus | QuadratusLumborum | Iliopsoas => Region::LowerBack,
            GluteusMaximus | GluteusMedius | Piriformis => Region::Buttocks,
            PectoralisMinor => Region::Chest,
            Hamstrings => Region::Leg,
        }
    }

    /// The sides a knot in this muscle can be recorded on. Every muscle here is paired; the
    /// ones that lie along the spine can also be felt in the centre.
    pub fn sides(self) -> &'static [Side] {
        use Muscle::*;
        match self {
            ThoracicErectorSpinae | LumbarErectorSpinae | Multifidus | Suboccipitals => {
                &[Side::Left, Side::Right, Side::Both, Side::Centre]
            }
            _ => &[Side::Left, Side::Right, Side::Both],
        }
    }

    /// Where pain from a knot in this muscle commonly travels (Travell & Simons), besides the
    /// muscle's own region.
    pub fn usual_referral(self) -> &'static [Region] {
        use Muscle::*;
        match self {
            UpperTrapezius => &[Region::Neck],
            LevatorScapulae => &[Region::Shoulders, Region::UpperBack],
            Suboccipitals => &[],
            Rhomboids | MiddleTrapezius => &[Region::Shoulders],
            LowerTrapezius => &[Region::Neck, Region::UpperBack],
            ThoracicErectorSpinae => &[Region::LowerBack],
            LumbarErectorSpinae | Multifidus => &[Region::Buttocks],
            QuadratusLumborum => &[Region::Buttocks, Region::Leg],
            LatissimusDorsi => &[Region::Arm, Region::UpperBack],
            Infraspinatus | Supraspinatus => &[Region::Arm],
            PectoralisMinor => &[Region::Shoulders, Region::Arm],
            GluteusMaximus | GluteusMedius => &[Region::LowerBack],
            Piriformis | Hamstrings => &[Region::Leg],
            Iliopsoas => &[Region::Leg],
        }
    }

    /// Checks that a knot can be recorded on `side` of this muscle.
    pub fn check_side(self, side: Side) -> Result<(), InputError> {
        if self.sides().contains(&side) {
            Ok(())
        } else {
            let allowed: Vec<&str> = self.sides().iter().map(|s| s.id()).collect();
            Err(InputError::Inconsistent(format!(
                "a knot in {} can be on {}, not '{}'",
                self.id(),
                allowed.join(", "),
                side.id()
            )))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn ids_are_unique_kebab_case() {
        let all: Vec<&str> = Region::ids()
            .chain(Muscle::ids())
            .chain(Side::ids())
            .collect();
        let unique: HashSet<&&str> = all.iter().collect();
        assert_eq!(unique.len(), all.len());
        for id in all {
            assert!(
                id.chars().all(|c| c.is_ascii_lowercase() || c == '-') && !id.starts_with('-'),
                "{id} is not kebab-case"
            );
        }
    }

    #[test]
    fn the_required_muscles_are_present() {
        for id in [
            "upper-trapezius",
            "levator-scapulae",
            "rhomboids",
            "middle-trapezius",
            "lower-trapezius",
            "thoracic-erector-spinae",
            "lumbar-erector-spinae",
            "quadratus-lumborum",
            "latissimus-dorsi",
            "infraspinatus",
            "gluteus-medius",
            "piriformis",
        ] {
            assert!(id.parse::<Muscle>().is_ok(), "{id} missing");
        }
    }

    #[test]
    fn parsing_forgives_spelling_and_suggests() {
        assert_eq!("Lower Back".parse::<Region>(), Ok(Region::LowerBack));
        assert_eq!("upper_back".parse::<Region>(), Ok(Region::UpperBack));
        let err = "rhomboid".parse::<Muscle>().err().map(|e| e.to_string());
        assert_eq!(
            err.as_deref(),
            Some("unknown muscle 'rhomboid' (did you mean rhomboids?)")
        );
    }

    #[test]
    fn sides_follow_anatomy() {
        assert!(Muscle::Rhomboids.check_side(Side::Left).is_ok());
        assert!(Muscle::Rhomboids.check_side(Side::Centre).is_err());
        assert!(Muscle::LumbarErectorSpinae.check_side(Side::Centre).is_ok());
    }

    #[test]
    fn serde_uses_exact_ids() {
        let json = serde_json::to_string(&Muscle::QuadratusLumborum).unwrap_or_default();
        assert_eq!(json, "\"quadratus-lumborum\"");
        assert!(serde_json::from_str::<Muscle>("\"Quadratus Lumborum\"").is_err());
    }
}
