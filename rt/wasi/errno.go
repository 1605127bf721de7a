package wasi

import (
	"errors"
	"fmt"

	"golang.org/x/sys/unix"
)

// errno is a WASI error number (`errno`, a u16 returned as i32).
type errno uint16

// The WASI error numbers, in the order of the witx enum.
const (
	errnoSuccess errno = iota
	errno2big
	errnoAcces
	errnoAddrinuse
	errnoAddrnotavail
	errnoAfnosupport
	errnoAgain
	errnoAlready
	errnoBadf
	errnoBadmsg
	errnoBusy
	errnoCanceled
	errnoChild
	errnoConnaborted
	errnoConnrefused
	errnoConnreset
	errnoDeadlk
	errnoDestaddrreq
	errnoDom
	errnoDquot
	errnoExist
	errnoFault
	errnoFbig
	errnoHostunreach
	errnoIdrm
	errnoIlseq
	errnoInprogress
	errnoIntr
	errnoInval
	errnoIO
	errnoIsconn
	errnoIsdir
	errnoLoop
	errnoMfile
	errnoMlink
	errnoMsgsize
	errnoMultihop
	errnoNametoolong
	errnoNetdown
	errnoNetreset
	errnoNetunreach
	errnoNfile
	errnoNobufs
	errnoNodev
	errnoNoent
	errnoNoexec
	errnoNolck
	errnoNolink
	errnoNomem
	errnoNomsg
	errnoNoprotoopt
	errnoNospc
	errnoNosys
	errnoNotconn
	errnoNotdir
	errnoNotempty
	errnoNotrecoverable
	errnoNotsock
	errnoNotsup
	errnoNotty
	errnoNxio
	errnoOverflow
	errnoOwnerdead
	errnoPerm
	errnoPipe
	errnoProto
	errnoProtonosupport
	errnoPrototype
	errnoRange
	errnoRofs
	errnoSpipe
	errnoSrch
	errnoStale
	errnoTimedout
	errnoTxtbsy
	errnoXdev
	errnoNotcapable
	numErrnos
)

// errnoNames are the witx names, for messages.
var errnoNames = [numErrnos]string{
	"success", "2big", "acces", "addrinuse", "addrnotavail", "afnosupport", "again", "already",
	"badf", "badmsg", "busy", "canceled", "child", "connaborted", "connrefused", "connreset",
	"deadlk", "destaddrreq", "dom", "dquot", "exist", "fault", "fbig", "hostunreach", "idrm",
	"ilseq", "inprogress", "intr", "inval", "io", "isconn", "isdir", "loop", "mfile", "mlink",
	"msgsize", "multihop", "nametoolong", "netdown", "netreset", "netunreach", "nfile", "nobufs",
	"nodev", "noent", "noexec", "nolck", "nolink", "nomem", "nomsg", "noprotoopt", "nospc",
	"nosys", "notconn", "notdir", "notempty", "notrecoverable", "notsock", "notsup", "notty",
	"nxio", "overflow", "ownerdead", "perm", "pipe", "proto", "protonosupport", "prototype",
	"range", "rofs", "spipe", "srch", "stale", "timedout", "txtbsy", "xdev", "notcapable",
}

// String returns the witx name ("badf").
func (e errno) String() string {
	if e < numErrnos {
		return errnoNames[e]
	}
	return fmt.Sprintf("errno(%d)", uint16(e))
}

// hostErrnos maps the host's error numbers to WASI's; anything else is EIO.
var hostErrnos = map[unix.Errno]errno{
	unix.E2BIG: errno2big, unix.EACCES: errnoAcces, unix.EADDRINUSE: errnoAddrinuse,
	unix.EADDRNOTAVAIL: errnoAddrnotavail, unix.EAFNOSUPPORT: errnoAfnosupport,
	unix.EAGAIN: errnoAgain, unix.EALREADY: errnoAlready, unix.EBADF: errnoBadf,
	unix.EBADMSG: errnoBadmsg, unix.EBUSY: errnoBusy, unix.ECANCELED: errnoCanceled,
	unix.ECHILD: errnoChild, unix.ECONNABORTED: errnoConnaborted,
	unix.ECONNREFUSED: errnoConnrefused, unix.ECONNRESET: errnoConnreset,
	unix.EDEADLK: errnoDeadlk, unix.EDESTADDRREQ: errnoDestaddrreq, unix.EDOM: errnoDom,
	unix.EDQUOT: errnoDquot, unix.EEXIST: errnoExist, unix.EFAULT: errnoFault,
	unix.EFBIG: errnoFbig, unix.EHOSTUNREACH: errnoHostunreach, unix.EIDRM: errnoIdrm,
	unix.EILSEQ: errnoIlseq, unix.EINPROGRESS: errnoInprogress, unix.EINTR: errnoIntr,
	unix.EINVAL: errnoInval, unix.EIO: errnoIO, unix.EISCONN: errnoIsconn,
	unix.EISDIR: errnoIsdir, unix.ELOOP: errnoLoop, unix.EMFILE: errnoMfile,
	unix.EMLINK: errnoMlink, unix.EMSGSIZE: errnoMsgsize, unix.EMULTIHOP: errnoMultihop,
	unix.ENAMETOOLONG: errnoNametoolong, unix.ENETDOWN: errnoNetdown,
	unix.ENETRESET: errnoNetreset, unix.ENETUNREACH: errnoNetunreach,
	unix.ENFILE: errnoNfile, unix.ENOBUFS: errnoNobufs, unix.ENODEV: errnoNodev,
	unix.ENOENT: errnoNoent, unix.ENOEXEC: errnoNoexec, unix.ENOLCK: errnoNolck,
	unix.ENOLINK: errnoNolink, unix.ENOMEM: errnoNomem, unix.ENOMSG: errnoNomsg,
	unix.ENOPROTOOPT: errnoNoprotoopt, unix.ENOSPC: errnoNospc, unix.ENOSYS: errnoNosys,
	unix.ENOTCONN: errnoNotconn, unix.ENOTDIR: errnoNotdir, unix.ENOTEMPTY: errnoNotempty,
	unix.ENOTRECOVERABLE: errnoNotrecoverable, unix.ENOTSOCK: errnoNotsock,
	unix.EOPNOTSUPP: errnoNotsup, unix.ENOTTY: errnoNotty, unix.ENXIO: errnoNxio,
	unix.EOVERFLOW: errnoOverflow, unix.EOWNERDEAD: errnoOwnerdead, unix.EPERM: errnoPerm,
	unix.EPIPE: errnoPipe, unix.EPROTO: errnoProto, unix.EPROTONOSUPPORT: errnoProtonosupport,
	unix.EPROTOTYPE: errnoPrototype, unix.ERANGE: errnoRange, unix.EROFS: errnoRofs,
	unix.ESPIPE: errnoSpipe, unix.ESRCH: errnoSrch, unix.ESTALE: errnoStale,
	unix.ETIMEDOUT: errnoTimedout, unix.ETXTBSY: errnoTxtbsy, unix.EXDEV: errnoXdev,
}

// errnoOf converts a host error (a unix.Errno, possibly wrapped) to WASI's
// number; nil is success.
func errnoOf(err error) errno {
	if err == nil {
		return errnoSuccess
	}
	var en unix.Errno
	if errors.As(err, &en) {
		if e, ok := hostErrnos[en]; ok {
			return e
		}
	}
	return errnoIO
}
