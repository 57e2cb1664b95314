//! The closed vocabularies content is written in: kinds of exercise, equipment, difficulty,
//! and the caution tags the planner matches against a person's answers.

use crate::ids::id_enum;

id_enum!(
    /// What an exercise mainly does.
    ExerciseKind, "exercise kind", {
        /// Lengthens a muscle and holds it.
        Stretch => ("stretch", "stretch"),
        /// Makes muscles work against a load.
        Strengthening => ("strengthening", "strengthening"),
        /// Moves joints through their range without holding.
        Mobility => ("mobility", "mobility"),
        /// Pressure on a muscle with a ball, roller or hands.
        SelfMassage => ("self-massage", "self-massage"),
        /// Trains or checks how you hold yourself.
        Posture => ("posture", "posture"),
        /// Breathing to calm tension.
        Breathing => ("breathing", "breathing"),
    }
);

id_enum!(
    /// Something an exercise needs.
    Equipment, "equipment", {
        /// Nothing at all.
        None => ("none", "no equipment"),
        /// A mat or a rug.
        Mat => ("mat", "mat"),
        /// A foam roller.
        FoamRoller => ("foam-roller", "foam roller"),
        /// A massage ball (a tennis ball works).
        MassageBall => ("massage-ball", "massage ball"),
        /// A resistance band (a towel or strap for stretches).
        ResistanceBand => ("resistance-band", "resistance band"),
        /// A free stretch of wall.
        Wall => ("wall", "wall"),
        /// A sturdy chair.
        Chair => ("chair", "chair"),
        /// A door frame.
        Doorway => ("doorway", "doorway"),
    }
);

id_enum!(
    /// How hard an exercise is.
    Difficulty, "difficulty", {
        /// Suits almost everyone, even on a sore day.
        Gentle => ("gentle", "gentle"),
        /// Needs some strength or flexibility.
        Moderate => ("moderate", "moderate"),
        /// For when the gentler versions are easy.
        Demanding => ("demanding", "demanding"),
    }
);

id_enum!(
    /// A situation in which an exercise should not be chosen. The planner matches these
    /// against the person's answers; the exercise's `avoid_if` says the same for people.
    Caution, "caution", {
        /// A bad flare-up in the last few days.
        AcuteFlare => ("acute-flare", "a painful flare-up"),
        /// Pain, numbness or tingling going down a leg.
        LegSymptoms => ("leg-symptoms", "symptoms down a leg"),
        /// Pain, numbness or tingling going down an arm.
        ArmSymptoms => ("arm-symptoms", "symptoms down an arm"),
        /// Osteoporosis or long-term steroid use.
        Osteoporosis => ("osteoporosis", "osteoporosis or long-term steroids"),
        /// Pregnancy.
        Pregnancy => ("pregnancy", "pregnancy"),
        /// Kneeling hurts.
        KneePain => ("knee-pain", "painful knees"),
        /// Weight on the hands hurts.
        WristPain => ("wrist-pain", "painful wrists"),
        /// A painful or unstable shoulder.
        ShoulderProblem => ("shoulder-problem", "a shoulder problem"),
        /// Unsteady on the feet.
        BalanceProblems => ("balance-problems", "balance problems"),
        /// Back surgery in the last three months.
        RecentSurgery => ("recent-surgery", "recent back surgery"),
        /// Blood thinners or a bleeding disorder: firm pressure from a ball or roller can bruise
        /// deeply.
        BleedingRisk => ("bleeding-risk", "blood thinners or a bleeding disorder"),
        /// Narrowing of the spinal canal in the lower back: leg pain or heaviness when standing
        /// or walking that eases on sitting or bending forward. Arching the back narrows the
        /// canal further.
        SpinalStenosis => ("spinal-stenosis", "spinal stenosis (leg pain on standing or walking, eased by sitting)"),
    }
);

id_enum!(
    /// What sort of publication a source is.
    SourceKind, "source kind", {
        /// A clinical guideline.
        Guideline => ("guideline", "guideline"),
        /// A systematic review or meta-analysis.
        SystematicReview => ("systematic-review", "systematic review"),
        /// A narrative review.
        Review => ("review", "review"),
        /// A randomised or controlled trial.
        Trial => ("trial", "trial"),
        /// An observational study that measures people at one point in time.
        CrossSectional => ("cross-sectional-study", "cross-sectional study"),
        /// An opinion or viewpoint article by experts.
        Viewpoint => ("viewpoint", "viewpoint"),
        /// A study that develops or tests a measure (a questionnaire or scale).
        Validation => ("validation-study", "validation study"),
        /// Public health information from a national health service.
        PublicInformation => ("public-information", "public health information"),
        /// A reference book.
        Book => ("book", "book"),
    }
);
