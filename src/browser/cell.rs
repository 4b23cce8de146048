//! `RefCell` borrows that trap without a panic location. A borrow that fails is a bug of the SDK
//! (the driver never holds one across page code); `borrow()` and `borrow_mut()` keep the file,
//! line and column of each of their thirty-odd call sites in the wasm to say where.

use core::cell::{Ref, RefCell, RefMut};

/// `view()` and `edit()`: `borrow()` and `borrow_mut()` without a location.
pub trait Borrow<T> {
    /// Reads the value.
    fn view(&self) -> Ref<'_, T>;
    /// Changes the value.
    fn edit(&self) -> RefMut<'_, T>;
}

impl<T> Borrow<T> for RefCell<T> {
    fn view(&self) -> Ref<'_, T> {
        self.try_borrow().unwrap_or_else(|_| failed())
    }

    fn edit(&self) -> RefMut<'_, T> {
        self.try_borrow_mut().unwrap_or_else(|_| failed())
    }
}

#[cfg(feature = "dist")]
fn failed() -> ! {
    core::arch::wasm32::unreachable()
}

#[cfg(not(feature = "dist"))]
fn failed() -> ! {
    panic!("the SDK borrowed its state twice")
}
