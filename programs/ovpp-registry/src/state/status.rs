use anchor_lang::prelude::*;

/// Lifecycle of a partner, a device or a member (one enum, one transition rule).
///
/// `Revoked` is terminal (a revoked device's certificate stays burned). `Ended` is a member's
/// only: its qualifying device changed owner or was revoked, so it is not a participant, and the
/// wallet may register again (re-using the account) with a device it owns. Nothing moves into
/// `Ended` through `can_become`; the registry sets it when it ends a membership.
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, PartialEq, Eq, Debug, InitSpace)]
pub enum Status {
    Active,
    Suspended,
    Revoked,
    Ended,
}

impl Status {
    /// Active <-> Suspended, anything live -> Revoked; nothing leaves Revoked (or Ended).
    pub fn can_become(self, next: Status) -> bool {
        use Status::*;
        matches!(
            (self, next),
            (Active, Suspended) | (Suspended, Active) | (Active, Revoked) | (Suspended, Revoked)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::Status::{self, *};

    #[test]
    fn only_live_states_move_and_revoked_and_ended_are_final() {
        let all = [Active, Suspended, Revoked, Ended];
        let allowed: Vec<(Status, Status)> = all
            .iter()
            .flat_map(|a| all.iter().map(move |b| (*a, *b)))
            .filter(|(a, b)| a.can_become(*b))
            .collect();
        assert_eq!(
            allowed,
            vec![
                (Active, Suspended),
                (Active, Revoked),
                (Suspended, Active),
                (Suspended, Revoked)
            ]
        );
    }
}
