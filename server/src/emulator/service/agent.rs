//! The agents' view: every user, authenticated or not, with emails and conversation.

use messenger_emulator::in_order;

use super::Emulator;
use crate::emulator::store::AgentRow;
use crate::emulator::EmulatorError;

impl Emulator {
    /// Users in the order they were created, each conversation in order.
    pub fn agent_users(&self) -> Result<Vec<AgentRow>, EmulatorError> {
        let rows = self
            .store
            .read(|tx| Ok::<_, EmulatorError>(tx.agent_rows()?))?;
        Ok(rows
            .into_iter()
            .map(|row| AgentRow {
                messages: in_order(row.messages),
                ..row
            })
            .collect())
    }
}
