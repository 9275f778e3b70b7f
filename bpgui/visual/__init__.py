"""Pictures without Qt: the colour maps, the output map over the input plane and the network
drawing's layout, shared by the window (:mod:`bpgui.gui`) and the animations
(:mod:`bpgui.animation`) so both colour the same thing the same way."""
